using Insightly.Unified.Unified.Resources;
using static Insightly.Unified.UnitTests.Unified.MappingHarness;

namespace Insightly.Unified.UnitTests.Unified;

public sealed class AccountMappingTests
{
    /// <summary>An organisation as <c>GET /Organisations/{id}</c> returns it.</summary>
    private const string Record = """
        {
          "ORGANISATION_ID": 200001, "ORGANISATION_NAME": "Société Générale d'Électricité — 株式会社サンプル",
          "BACKGROUND": "Long-standing customer.\nPrefers e-mail — never calls.", "IMAGE_URL": "https://cdn.example.com/logo.png",
          "OWNER_USER_ID": 1001, "DATE_CREATED_UTC": "2024-03-10 07:00:00", "DATE_UPDATED_UTC": "2025-03-09 07:00:00",
          "LAST_ACTIVITY_DATE_UTC": "2025-11-02 06:00:00", "NEXT_ACTIVITY_DATE_UTC": "2025-12-01 09:00:00", "CREATED_USER_ID": 1002,
          "PHONE": "+41 44 668 18 00", "PHONE_FAX": null, "WEBSITE": "https://www.zürich.example",
          "ADDRESS_BILLING_STREET": "Mythenquai 2", "ADDRESS_BILLING_CITY": "Zürich", "ADDRESS_BILLING_STATE": "ZH",
          "ADDRESS_BILLING_POSTCODE": "8002", "ADDRESS_BILLING_COUNTRY": "Switzerland",
          "ADDRESS_SHIP_STREET": null, "ADDRESS_SHIP_CITY": null, "ADDRESS_SHIP_STATE": null, "ADDRESS_SHIP_POSTCODE": null, "ADDRESS_SHIP_COUNTRY": null,
          "SOCIAL_LINKEDIN": null, "SOCIAL_FACEBOOK": null, "SOCIAL_TWITTER": "@sge",
          "CUSTOMFIELDS": [{"FIELD_NAME": "Score__c", "FIELD_VALUE": 87}, {"FIELD_NAME": "Is_Vip__c", "FIELD_VALUE": false}],
          "TAGS": [{"TAG_NAME": "partner"}],
          "DATES": [],
          "EMAILDOMAINS": [{"EMAIL_DOMAIN_ID": 7001, "EMAIL_DOMAIN": "sge.example"}],
          "LINKS": [{"LINK_ID": 9101, "OBJECT_NAME": "Organisation", "OBJECT_ID": 200001, "LINK_OBJECT_NAME": "Contact", "LINK_OBJECT_ID": 100101, "ROLE": "Employee", "DETAILS": null, "RELATIONSHIP_ID": null, "IS_FORWARD": null}]
        }
        """;

    private const string Unified = """
        {
          "id": "200001",
          "created_at": "2024-03-10T07:00:00Z",
          "updated_at": "2025-03-09T07:00:00Z",
          "name": "Société Générale d'Électricité — 株式会社サンプル",
          "description": "Long-standing customer.\nPrefers e-mail — never calls.",
          "website": "https://www.zürich.example",
          "owner": {"id": "1001"},
          "phone_numbers": [{"number": "+41 44 668 18 00", "type": "work"}],
          "addresses": [{"street_1": "Mythenquai 2", "city": "Zürich", "state": "ZH", "postal_code": "8002", "country": "Switzerland", "type": "billing"}],
          "tags": [{"name": "partner"}],
          "last_activity_at": "2025-11-02T06:00:00Z",
          "custom_fields": {"Score__c": 87, "Is_Vip__c": false}
        }
        """;

    [Fact]
    public void A_full_organisation_maps_to_exactly_the_unified_account_with_the_record_untouched_as_remote_data()
    {
        var unified = Read(Accounts.Resource, Record);

        var remote = unified["remote_data"];
        unified.Remove("remote_data");
        Equal(Unified, unified);
        Equal(Record, remote);
    }

    [Fact]
    public void Without_remote_data_the_account_has_no_remote_data_property()
    {
        Equal(Unified, Read(Accounts.Resource, Record, Fixtures.Context(includeRemoteData: false)));
    }

    [Fact]
    public void An_organisation_without_sub_collections_maps_to_nulls_and_empty_lists()
    {
        const string record = """
            {"ORGANISATION_ID": 200002, "ORGANISATION_NAME": "Ωmega Labs", "BACKGROUND": null, "OWNER_USER_ID": null,
             "DATE_CREATED_UTC": "2024-01-01 00:00:00", "DATE_UPDATED_UTC": "2024-01-01 00:00:00", "LAST_ACTIVITY_DATE_UTC": null,
             "PHONE": null, "PHONE_FAX": null, "WEBSITE": null}
            """;

        Equal("""
            {"id": "200002", "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z", "name": "Ωmega Labs",
             "description": null, "website": null, "owner": null, "phone_numbers": [], "addresses": [], "tags": [],
             "last_activity_at": null, "custom_fields": {}}
            """, Read(Accounts.Resource, record, Fixtures.Context(includeRemoteData: false)));
    }

    [Fact]
    public void A_full_create_body_maps_to_exactly_the_Insightly_organisation()
    {
        var plan = Create(Accounts.Resource, """
            {
              "name": "Nordisk Fjord AS", "description": "Ferjer og fjorder.", "website": "https://fjord.example.no",
              "owner": {"id": "1002"},
              "phone_numbers": [{"number": "+47 22 00 00 00", "type": "work"}, {"number": "+47 22 00 00 01", "type": "fax"}],
              "addresses": [
                {"street_1": "Karl Johans gate 1", "city": "Oslo", "state": null, "postal_code": "0154", "country": "Norge", "type": "billing"},
                {"street_1": "Havnegata 9", "city": "Tromsø", "postal_code": "9008", "country": "Norge", "type": "shipping"}
              ],
              "tags": [{"name": "nordics"}],
              "custom_fields": {"Score__c": 12.75, "Interests__c": ["Sailing", "Technology"]},
              "remote_data": {"SOCIAL_LINKEDIN": "https://linkedin.com/company/fjord", "EMAILDOMAINS": [{"EMAIL_DOMAIN": "fjord.example.no"}]}
            }
            """);

        Equal("""
            {
              "ORGANISATION_NAME": "Nordisk Fjord AS", "BACKGROUND": "Ferjer og fjorder.", "WEBSITE": "https://fjord.example.no",
              "OWNER_USER_ID": 1002, "PHONE": "+47 22 00 00 00", "PHONE_FAX": "+47 22 00 00 01",
              "ADDRESS_BILLING_STREET": "Karl Johans gate 1", "ADDRESS_BILLING_CITY": "Oslo", "ADDRESS_BILLING_STATE": null,
              "ADDRESS_BILLING_POSTCODE": "0154", "ADDRESS_BILLING_COUNTRY": "Norge",
              "ADDRESS_SHIP_STREET": "Havnegata 9", "ADDRESS_SHIP_CITY": "Tromsø", "ADDRESS_SHIP_STATE": null,
              "ADDRESS_SHIP_POSTCODE": "9008", "ADDRESS_SHIP_COUNTRY": "Norge",
              "TAGS": [{"TAG_NAME": "nordics"}],
              "CUSTOMFIELDS": [{"FIELD_NAME": "Score__c", "FIELD_VALUE": 12.75}, {"FIELD_NAME": "Interests__c", "FIELD_VALUE": "Sailing;Technology"}],
              "SOCIAL_LINKEDIN": "https://linkedin.com/company/fjord", "EMAILDOMAINS": [{"EMAIL_DOMAIN": "fjord.example.no"}]
            }
            """, plan.Body);
        Assert.Empty(plan.FollowUps);
    }

    [Fact]
    public void Creating_an_account_without_a_name_is_refused()
    {
        Assert.Equal(["name"], RefusedFields(() => Create(Accounts.Resource, """{"website": "https://example.com"}""")));
        Assert.Equal(["name"], RefusedFields(() => Create(Accounts.Resource, """{"name": null}""")));
    }

    [Fact]
    public void A_patch_of_phone_numbers_replaces_both_phone_columns()
    {
        Equal("""{"PHONE": null, "PHONE_FAX": "+41 44 668 18 01"}""",
            Update(Accounts.Resource, """{"phone_numbers": [{"number": "+41 44 668 18 01", "type": "fax"}]}""").Body);
        Assert.Equal(["phone_numbers"], RefusedFields(() => Update(Accounts.Resource, """{"phone_numbers": [{"number": "1", "type": "mobile"}]}""")));
    }

    [Fact]
    public void A_patch_of_addresses_clears_the_address_type_not_sent()
    {
        Equal("""
            {"ADDRESS_BILLING_STREET": null, "ADDRESS_BILLING_CITY": null, "ADDRESS_BILLING_STATE": null, "ADDRESS_BILLING_POSTCODE": null, "ADDRESS_BILLING_COUNTRY": null,
             "ADDRESS_SHIP_STREET": "1 Dock Rd", "ADDRESS_SHIP_CITY": "Cork", "ADDRESS_SHIP_STATE": null, "ADDRESS_SHIP_POSTCODE": null, "ADDRESS_SHIP_COUNTRY": "Éire"}
            """, Update(Accounts.Resource, """{"addresses": [{"street_1": "1 Dock Rd", "city": "Cork", "country": "Éire", "type": "shipping"}]}""").Body);
    }

    [Fact]
    public void Read_only_and_unknown_fields_are_refused_all_named_at_once()
    {
        Assert.Equal(["id", "last_activity_at", "email_addresses", "industry"], RefusedFields(() => Update(Accounts.Resource,
            """{"id": "1", "last_activity_at": null, "email_addresses": [], "industry": "Energy", "name": "ok"}""")));
    }

    [Fact]
    public void Reading_an_account_and_patching_it_back_writes_its_own_columns()
    {
        AssertRoundTrip(Accounts.Resource, Record);
    }
}
