from django.contrib import admin

from .models import Contact, Partner, RoutingRule


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "active", "is_demo", "last_verified"]
    inlines = [ContactInline]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["order", "condition", "partner", "priority", "active"]
