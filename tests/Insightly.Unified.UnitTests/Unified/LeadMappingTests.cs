using Insightly.Unified.Unified.Lookups;
using Insightly.Unified.Unified.Mapping;
using Insightly.Unified.Unified.Resources;
using static Insightly.Unified.UnitTests.Unified.MappingHarness;

namespace Insightly.Unified.UnitTests.Unified;

public sealed class LeadMappingTests
{
    /// <summary>A converted lead as <c>GET /Leads/{id}</c> returns it (its names differ from a contact's).</summary>
    private const string Record = """
        {
          "LEAD_ID": 300001, "SALUTATION": "Mr", "FIRST_NAME": "Nguyễn", "LAST_NAME": "Thị Minh", "TITLE": "Giám đốc",
          "EMAIL": "minh@example.vn", "PHONE": "+84 24 3826 1234", "MOBILE": "+84 912 345 678", "FAX": null,
          "WEBSITE": "https://minh.example.vn", "ORGANISATION_NAME": "Công ty TNHH Ví Dụ", "INDUSTRY": "Manufacturing",
          "EMPLOYEE_COUNT": 250, "LEAD_DESCRIPTION": "Asked for a demo at the Hà Nội fair.", "LEAD_RATING": 4,
          "LEAD_SOURCE_ID": 930003, "LEAD_STATUS_ID": 920005, "OWNER_USER_ID": 1001, "RESPONSIBLE_USER_ID": 1002,
          "CREATED_USER_ID": 1001,
          "ADDRESS_STREET": "1 Tràng Tiền", "ADDRESS_CITY": "Hà Nội", "ADDRESS_STATE": null, "ADDRESS_POSTCODE": "100000", "ADDRESS_COUNTRY": "Việt Nam",
          "CONVERTED": true, "CONVERTED_CONTACT_ID": 100150, "CONVERTED_ORGANISATION_ID": 200050, "CONVERTED_OPPORTUNITY_ID": 400050,
          "CONVERTED_DATE_UTC": "2025-03-30 01:00:00",
          "DATE_CREATED_UTC": "2025-03-01 08:15:00", "DATE_UPDATED_UTC": "2025-03-30 01:00:01",
          "LAST_ACTIVITY_DATE_UTC": null, "NEXT_ACTIVITY_DATE_UTC": null, "IMAGE_URL": null, "EMAIL_OPTED_OUT": false,
          "CUSTOMFIELDS": [{"FIELD_NAME": "Reference_Code__c", "FIELD_VALUE": "LD-7"}],
          "TAGS": [{"TAG_NAME": "hội chợ"}],
          "LINKS": []
        }
        """;

    private const string Unified = """
        {
          "id": "300001",
          "created_at": "2025-03-01T08:15:00Z",
          "updated_at": "2025-03-30T01:00:01Z",
          "first_name": "Nguyễn", "last_name": "Thị Minh", "name": "Nguyễn Thị Minh", "title": "Giám đốc",
          "company_name": "Công ty TNHH Ví Dụ",
          "email_addresses": [{"email": "minh@example.vn", "type": "work"}],
          "phone_numbers": [{"number": "+84 24 3826 1234", "type": "work"}, {"number": "+84 912 345 678", "type": "mobile"}],
          "addresses": [{"street_1": "1 Tràng Tiền", "city": "Hà Nội", "state": null, "postal_code": "100000", "country": "Việt Nam", "type": "primary"}],
          "website": "https://minh.example.vn",
          "industry": "Manufacturing",
          "number_of_employees": 250,
          "description": "Asked for a demo at the Hà Nội fair.",
          "rating": 4,
          "status": {"id": "920005", "name": "Converted"},
          "source": {"id": "930003", "name": "Salon professionnel"},
          "owner": {"id": "1001"},
          "assignee": {"id": "1002"},
          "is_converted": true,
          "converted_contact": {"id": "100150"},
          "converted_account": {"id": "200050"},
          "converted_opportunity": {"id": "400050"},
          "converted_at": "2025-03-30T01:00:00Z",
          "tags": [{"name": "hội chợ"}],
          "custom_fields": {"Reference_Code__c": "LD-7"}
        }
        """;

    [Fact]
    public void A_full_lead_maps_to_exactly_the_unified_lead_with_status_and_source_named_from_the_lookups()
    {
        var unified = Read(Leads.Resource, Record);

        var remote = unified["remote_data"];
        unified.Remove("remote_data");
        Equal(Unified, unified);
        Equal(Record, remote);
    }

    [Fact]
    public void Without_remote_data_the_lead_has_no_remote_data_property()
    {
        Equal(Unified, Read(Leads.Resource, Record, Fixtures.Context(includeRemoteData: false)));
    }

    [Fact]
    public void Status_and_source_the_lookups_lack_keep_their_id_with_a_null_name()
    {
        const string record = """{"LEAD_ID": 300002, "LAST_NAME": "Ní Bhriain", "LEAD_STATUS_ID": 920099, "LEAD_SOURCE_ID": 930001}""";
        var lookups = new MappingContext(Fixtures.Lookups(leadSources: null), CustomFieldSet.None, includeRemoteData: false);

        var unified = Read(Leads.Resource, record, lookups);

        Equal("""{"id": "920099", "name": null}""", unified["status"]);
        Equal("""{"id": "930001", "name": null}""", unified["source"]);
    }

    [Fact]
    public void Ids_Insightly_sends_as_strings_read_as_the_same_references_with_their_names()
    {
        const string record = """
            {"LEAD_ID": "300004", "LAST_NAME": "Hopper", "LEAD_STATUS_ID": "920002", "LEAD_SOURCE_ID": "930099", "OWNER_USER_ID": "1001",
             "CONVERTED_CONTACT_ID": ""}
            """;

        var unified = Read(Leads.Resource, record);

        Equal("""
            {"id": "300004", "status": {"id": "920002", "name": "Contacted"}, "source": {"id": "930099", "name": null}, "owner": {"id": "1001"}, "converted_contact": null}
            """, Pick(unified, "id", "status", "source", "owner", "converted_contact"));
    }

    [Fact]
    public void An_account_whose_lookups_could_not_be_read_still_gets_its_leads_with_unnamed_references()
    {
        var unified = Read(Leads.Resource, Record, Fixtures.Bare(includeRemoteData: false));

        Equal("""{"id": "920005", "name": null}""", unified["status"]);
        Equal("""{"id": "930003", "name": null}""", unified["source"]);
    }

    [Fact]
    public void A_lead_that_is_not_converted_and_lacks_most_columns_maps_to_nulls_and_empty_lists()
    {
        const string record = """
            {"LEAD_ID": 300003, "FIRST_NAME": null, "LAST_NAME": "Al-Fulan", "EMAIL": null, "LEAD_STATUS_ID": null, "LEAD_SOURCE_ID": null,
             "EMPLOYEE_COUNT": null, "LEAD_RATING": null, "CONVERTED": false, "CONVERTED_CONTACT_ID": null, "CONVERTED_DATE_UTC": null}
            """;

        Equal("""
            {"id": "300003", "created_at": null, "updated_at": null, "first_name": null, "last_name": "Al-Fulan", "name": "Al-Fulan",
             "title": null, "company_name": null, "email_addresses": [], "phone_numbers": [], "addresses": [], "website": null,
             "industry": null, "number_of_employees": null, "description": null, "rating": null, "status": null, "source": null,
             "owner": null, "assignee": null, "is_converted": false, "converted_contact": null, "converted_account": null,
             "converted_opportunity": null, "converted_at": null, "tags": [], "custom_fields": {}}
            """, Read(Leads.Resource, record, Fixtures.Context(includeRemoteData: false)));
    }

    [Fact]
    public void A_full_create_body_maps_to_exactly_the_Insightly_lead()
    {
        var plan = Create(Leads.Resource, """
            {
              "first_name": "François", "last_name": "Dupré", "title": "Acheteur", "company_name": "Dupré & Fils",
              "email_addresses": [{"email": "francois@dupre.example.fr", "type": "work"}],
              "phone_numbers": [{"number": "+33 6 12 34 56 78", "type": "mobile"}, {"number": "+33 1 98 76 54 32", "type": "fax"}],
              "addresses": [{"street_1": "3 place de la Comédie", "city": "Lyon", "postal_code": "69001", "country": "France", "type": "primary"}],
              "website": "https://dupre.example.fr", "industry": "Wine", "number_of_employees": 12,
              "description": "Wants 500 cases.", "rating": 3,
              "status": {"id": "920002", "name": "Contacted"}, "source": {"id": "930001"},
              "owner": {"id": "1001"}, "assignee": {"id": "1003"},
              "tags": [{"name": "salon"}],
              "custom_fields": {"Segment__c": "Mid-market"},
              "remote_data": {"SALUTATION": "M.", "EMAIL_OPTED_OUT": false}
            }
            """);

        Equal("""
            {
              "FIRST_NAME": "François", "LAST_NAME": "Dupré", "TITLE": "Acheteur", "ORGANISATION_NAME": "Dupré & Fils",
              "EMAIL": "francois@dupre.example.fr", "PHONE": null, "MOBILE": "+33 6 12 34 56 78", "FAX": "+33 1 98 76 54 32",
              "ADDRESS_STREET": "3 place de la Comédie", "ADDRESS_CITY": "Lyon", "ADDRESS_STATE": null, "ADDRESS_POSTCODE": "69001", "ADDRESS_COUNTRY": "France",
              "WEBSITE": "https://dupre.example.fr", "INDUSTRY": "Wine", "EMPLOYEE_COUNT": 12, "LEAD_DESCRIPTION": "Wants 500 cases.",
              "LEAD_RATING": 3, "LEAD_STATUS_ID": 920002, "LEAD_SOURCE_ID": 930001, "OWNER_USER_ID": 1001, "RESPONSIBLE_USER_ID": 1003,
              "TAGS": [{"TAG_NAME": "salon"}],
              "CUSTOMFIELDS": [{"FIELD_NAME": "Segment__c", "FIELD_VALUE": "Mid-market"}],
              "SALUTATION": "M.", "EMAIL_OPTED_OUT": false
            }
            """, plan.Body);
        Assert.Empty(plan.FollowUps);
    }

    [Fact]
    public void Creating_a_lead_needs_a_last_name()
    {
        Assert.Equal(["last_name"], RefusedFields(() => Create(Leads.Resource, """{"first_name": "Grace"}""")));
    }

    [Fact]
    public void Conversion_fields_are_read_only()
    {
        Assert.Equal(["is_converted", "converted_contact", "converted_account", "converted_opportunity", "converted_at", "name"],
            RefusedFields(() => Update(Leads.Resource, """
                {"is_converted": true, "converted_contact": {"id": "1"}, "converted_account": null, "converted_opportunity": null,
                 "converted_at": "2025-01-01T00:00:00Z", "name": "x"}
                """)));
    }

    [Fact]
    public void Counts_must_be_whole_numbers_of_at_least_zero()
    {
        Assert.Equal(["number_of_employees", "rating"], RefusedFields(() => Update(Leads.Resource, """{"number_of_employees": 12.5, "rating": -1}""")));
        Assert.Equal(["number_of_employees"], RefusedFields(() => Update(Leads.Resource, """{"number_of_employees": "12"}""")));
        Equal("""{"EMPLOYEE_COUNT": null, "LEAD_RATING": 0}""", Update(Leads.Resource, """{"number_of_employees": null, "rating": 0}""").Body);
    }

    [Fact]
    public void Clearing_status_and_source_sends_null_ids()
    {
        Equal("""{"LEAD_STATUS_ID": null, "LEAD_SOURCE_ID": null}""", Update(Leads.Resource, """{"status": null, "source": null}""").Body);
    }

    [Fact]
    public void Reading_a_lead_and_patching_it_back_writes_its_own_columns()
    {
        AssertRoundTrip(Leads.Resource, Record);
    }
}
