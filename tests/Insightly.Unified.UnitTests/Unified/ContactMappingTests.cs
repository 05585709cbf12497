using Insightly.Unified.Unified.Resources;
using static Insightly.Unified.UnitTests.Unified.MappingHarness;

namespace Insightly.Unified.UnitTests.Unified;

public sealed class ContactMappingTests
{
    /// <summary>A contact as <c>GET /Contacts/{id}</c> returns it: every column, some null, some empty, non-ASCII text.</summary>
    internal const string Record = """
        {
          "CONTACT_ID": 100101, "SALUTATION": "Dr", "FIRST_NAME": "Zoë", "LAST_NAME": "Ångström-Иванова",
          "TITLE": "Directrice générale", "BACKGROUND": "Met at the <b>trade show</b>.\nFollow up in Q3 — 会議 🚀",
          "IMAGE_URL": null, "OWNER_USER_ID": 1001, "CREATED_USER_ID": 1002,
          "DATE_CREATED_UTC": "2024-01-02 03:04:05", "DATE_UPDATED_UTC": "2025-10-26 01:00:00",
          "LAST_ACTIVITY_DATE_UTC": "2025-03-30 01:00:00", "NEXT_ACTIVITY_DATE_UTC": null,
          "DATE_OF_BIRTH": "1970-01-10 00:00:00",
          "SOCIAL_LINKEDIN": null, "SOCIAL_FACEBOOK": null, "SOCIAL_TWITTER": null,
          "PHONE": "+1 555 0100", "PHONE_HOME": null, "PHONE_MOBILE": "+44 7700 900123", "PHONE_OTHER": null,
          "PHONE_ASSISTANT": "+33 1 23 45 67 89", "PHONE_FAX": "+1 555 0199",
          "EMAIL_ADDRESS": "zoe.angstrom@example.com", "ASSISTANT_NAME": "Søren Kierkegård",
          "ADDRESS_MAIL_STREET": "12 Rue de l'Église", "ADDRESS_MAIL_CITY": "Montréal", "ADDRESS_MAIL_STATE": "QC",
          "ADDRESS_MAIL_POSTCODE": "H2X 1Y4", "ADDRESS_MAIL_COUNTRY": "Canada",
          "ADDRESS_OTHER_STREET": null, "ADDRESS_OTHER_CITY": "東京", "ADDRESS_OTHER_STATE": null,
          "ADDRESS_OTHER_POSTCODE": null, "ADDRESS_OTHER_COUNTRY": "日本",
          "ORGANISATION_ID": 200001, "EMAIL_OPTED_OUT": false,
          "CUSTOMFIELDS": [
            {"FIELD_NAME": "Segment__c", "FIELD_VALUE": "Enterprise"},
            {"FIELD_NAME": "Renewal_Date__c", "FIELD_VALUE": "2025-10-26 00:00:00"},
            {"FIELD_NAME": "Interests__c", "FIELD_VALUE": "Golf;Wine"},
            {"FIELD_NAME": "Lifetime_Value__c", "FIELD_VALUE": 1250}
          ],
          "TAGS": [{"TAG_NAME": "vip"}, {"TAG_NAME": "Trade Show 2024"}, {"TAG_NAME": "präferiert"}],
          "DATES": [{"DATE_ID": 4001, "OCCASION_NAME": "Birthday", "OCCASION_DATE": "1970-01-10 00:00:00", "REPEAT_YEARLY": true, "CREATE_TASK_YEARLY": false}],
          "LINKS": [
            {"LINK_ID": 9001, "OBJECT_NAME": "Contact", "OBJECT_ID": 100101, "LINK_OBJECT_NAME": "Organisation", "LINK_OBJECT_ID": 200001, "ROLE": "Employee", "DETAILS": null, "RELATIONSHIP_ID": null, "IS_FORWARD": null},
            {"LINK_ID": 9002, "OBJECT_NAME": "Contact", "OBJECT_ID": 100101, "LINK_OBJECT_NAME": "Opportunity", "LINK_OBJECT_ID": 400001, "ROLE": "Decision maker", "DETAILS": "Signs off", "RELATIONSHIP_ID": null, "IS_FORWARD": null}
          ]
        }
        """;

    private const string Unified = """
        {
          "id": "100101",
          "created_at": "2024-01-02T03:04:05Z",
          "updated_at": "2025-10-26T01:00:00Z",
          "first_name": "Zoë",
          "last_name": "Ångström-Иванова",
          "name": "Zoë Ångström-Иванова",
          "title": "Directrice générale",
          "description": "Met at the <b>trade show</b>.\nFollow up in Q3 — 会議 🚀",
          "account": {"id": "200001"},
          "owner": {"id": "1001"},
          "email_addresses": [{"email": "zoe.angstrom@example.com", "type": "work"}],
          "phone_numbers": [
            {"number": "+1 555 0100", "type": "work"},
            {"number": "+44 7700 900123", "type": "mobile"},
            {"number": "+1 555 0199", "type": "fax"},
            {"number": "+33 1 23 45 67 89", "type": "assistant"}
          ],
          "addresses": [
            {"street_1": "12 Rue de l'Église", "city": "Montréal", "state": "QC", "postal_code": "H2X 1Y4", "country": "Canada", "type": "mailing"},
            {"street_1": null, "city": "東京", "state": null, "postal_code": null, "country": "日本", "type": "other"}
          ],
          "tags": [{"name": "vip"}, {"name": "Trade Show 2024"}, {"name": "präferiert"}],
          "last_activity_at": "2025-03-30T01:00:00Z",
          "custom_fields": {"Segment__c": "Enterprise", "Renewal_Date__c": "2025-10-26", "Interests__c": ["Golf", "Wine"], "Lifetime_Value__c": 1250}
        }
        """;

    [Fact]
    public void A_full_contact_maps_to_exactly_the_unified_contact_with_the_record_untouched_as_remote_data()
    {
        var unified = Read(Contacts.Resource, Record);

        var remote = unified["remote_data"];
        unified.Remove("remote_data");
        Equal(Unified, unified);
        Equal(Record, remote);
    }

    [Fact]
    public void Without_remote_data_the_contact_has_no_remote_data_property()
    {
        var unified = Read(Contacts.Resource, Record, Fixtures.Context(includeRemoteData: false));

        Equal(Unified, unified);
    }

    [Fact]
    public void Non_ASCII_names_are_written_as_they_are_not_escaped()
    {
        var text = ReadText(Contacts.Resource, Record, Fixtures.Context(includeRemoteData: false));

        Assert.Contains("\"name\":\"Zoë Ångström-Иванова\"", text, StringComparison.Ordinal);
        Assert.Contains("\"city\":\"東京\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_contact_with_every_column_null_maps_to_nulls_and_empty_lists()
    {
        const string record = """
            {"CONTACT_ID": 100102, "SALUTATION": null, "FIRST_NAME": null, "LAST_NAME": null, "TITLE": null, "BACKGROUND": null,
             "OWNER_USER_ID": null, "DATE_CREATED_UTC": null, "DATE_UPDATED_UTC": null, "LAST_ACTIVITY_DATE_UTC": null,
             "PHONE": null, "PHONE_HOME": null, "PHONE_MOBILE": null, "PHONE_OTHER": null, "PHONE_ASSISTANT": null, "PHONE_FAX": null,
             "EMAIL_ADDRESS": null, "ADDRESS_MAIL_STREET": null, "ADDRESS_MAIL_CITY": null, "ADDRESS_MAIL_STATE": null,
             "ADDRESS_MAIL_POSTCODE": null, "ADDRESS_MAIL_COUNTRY": null, "ORGANISATION_ID": null,
             "CUSTOMFIELDS": null, "TAGS": null, "LINKS": null}
            """;

        Equal("""
            {"id": "100102", "created_at": null, "updated_at": null, "first_name": null, "last_name": null, "name": null,
             "title": null, "description": null, "account": null, "owner": null, "email_addresses": [], "phone_numbers": [],
             "addresses": [], "tags": [], "last_activity_at": null, "custom_fields": {}}
            """, Read(Contacts.Resource, record, Fixtures.Context(includeRemoteData: false)));
    }

    [Fact]
    public void A_contact_without_sub_collections_or_most_columns_maps_to_nulls_and_empty_lists()
    {
        // What brief=true or an old record gives: no TAGS, LINKS, CUSTOMFIELDS or DATES keys at all.
        const string record = """{"CONTACT_ID": 100103, "LAST_NAME": "Núñez", "DATE_CREATED_UTC": "2024-01-02 03:04:05"}""";

        Equal("""
            {"id": "100103", "created_at": "2024-01-02T03:04:05Z", "updated_at": null, "first_name": null, "last_name": "Núñez",
             "name": "Núñez", "title": null, "description": null, "account": null, "owner": null, "email_addresses": [],
             "phone_numbers": [], "addresses": [], "tags": [], "last_activity_at": null, "custom_fields": {}}
            """, Read(Contacts.Resource, record, Fixtures.Context(includeRemoteData: false)));
    }

    [Fact]
    public void A_contact_with_no_phones_maps_to_an_empty_phone_list()
    {
        const string record = """{"CONTACT_ID": 1, "PHONE": null, "PHONE_MOBILE": "", "PHONE_HOME": null}""";

        Equal("[]", Read(Contacts.Resource, record)["phone_numbers"]);
    }

    [Fact]
    public void Empty_strings_and_the_zero_date_read_as_null()
    {
        const string record = """
            {"CONTACT_ID": 1, "FIRST_NAME": "", "LAST_NAME": "Ólafur", "TITLE": "", "EMAIL_ADDRESS": "",
             "DATE_CREATED_UTC": "0000-00-00 00:00:00", "DATE_UPDATED_UTC": "", "LAST_ACTIVITY_DATE_UTC": "0000-00-00 00:00:00",
             "ADDRESS_MAIL_STREET": "", "ADDRESS_MAIL_CITY": "", "TAGS": [{"TAG_NAME": ""}, {"TAG_NAME": null}, {"TAG_NAME": "ok"}]}
            """;

        var unified = Read(Contacts.Resource, record);

        Equal("""{"first_name": null, "name": "Ólafur", "title": null, "email_addresses": [], "created_at": null, "updated_at": null, "last_activity_at": null, "addresses": [], "tags": [{"name": "ok"}]}""",
            Pick(unified, "first_name", "name", "title", "email_addresses", "created_at", "updated_at", "last_activity_at", "addresses", "tags"));
    }

    [Fact]
    public void The_name_joins_whichever_parts_there_are()
    {
        Assert.Equal("健", Read(Contacts.Resource, """{"CONTACT_ID": 1, "FIRST_NAME": "健", "LAST_NAME": null}""")["name"]!.GetValue<string>());
        Assert.Equal("渡辺", Read(Contacts.Resource, """{"CONTACT_ID": 1, "LAST_NAME": "渡辺"}""")["name"]!.GetValue<string>());
        Assert.Equal("👩‍💻 O'Brien", Read(Contacts.Resource, """{"CONTACT_ID": 1, "FIRST_NAME": "👩‍💻", "LAST_NAME": "O'Brien"}""")["name"]!.GetValue<string>());
    }

    [Fact]
    public void A_full_create_body_maps_to_exactly_the_Insightly_contact()
    {
        var plan = Create(Contacts.Resource, """
            {
              "first_name": "Мария", "last_name": "Иванова", "title": "Инженер", "description": "Prefers e-mail — never calls. 🙂",
              "account": {"id": "200001"}, "owner": {"id": "1001"},
              "email_addresses": [{"email": "maria@example.ru", "type": "work"}],
              "phone_numbers": [{"number": "+7 495 123-45-67", "type": "work"}, {"number": "+7 916 000-00-00", "type": "mobile"}],
              "addresses": [{"street_1": "ул. Тверская, 1", "city": "Москва", "state": null, "postal_code": "125009", "country": "Россия", "type": "mailing"}],
              "tags": [{"name": "vip"}, {"name": "конференция"}],
              "custom_fields": {"Segment__c": "SMB", "Renewal_Date__c": "2026-01-31", "Is_Vip__c": true},
              "remote_data": {"SALUTATION": "Dr", "TITLE": "Главный инженер", "EMAIL_OPTED_OUT": true}
            }
            """);

        Equal("""
            {
              "FIRST_NAME": "Мария", "LAST_NAME": "Иванова", "TITLE": "Главный инженер", "BACKGROUND": "Prefers e-mail — never calls. 🙂",
              "ORGANISATION_ID": 200001, "OWNER_USER_ID": 1001, "EMAIL_ADDRESS": "maria@example.ru",
              "PHONE": "+7 495 123-45-67", "PHONE_MOBILE": "+7 916 000-00-00", "PHONE_HOME": null, "PHONE_FAX": null,
              "PHONE_ASSISTANT": null, "PHONE_OTHER": null,
              "ADDRESS_MAIL_STREET": "ул. Тверская, 1", "ADDRESS_MAIL_CITY": "Москва", "ADDRESS_MAIL_STATE": null,
              "ADDRESS_MAIL_POSTCODE": "125009", "ADDRESS_MAIL_COUNTRY": "Россия",
              "ADDRESS_OTHER_STREET": null, "ADDRESS_OTHER_CITY": null, "ADDRESS_OTHER_STATE": null,
              "ADDRESS_OTHER_POSTCODE": null, "ADDRESS_OTHER_COUNTRY": null,
              "TAGS": [{"TAG_NAME": "vip"}, {"TAG_NAME": "конференция"}],
              "CUSTOMFIELDS": [
                {"FIELD_NAME": "Segment__c", "FIELD_VALUE": "SMB"},
                {"FIELD_NAME": "Renewal_Date__c", "FIELD_VALUE": "2026-01-31 00:00:00"},
                {"FIELD_NAME": "Is_Vip__c", "FIELD_VALUE": true}
              ],
              "SALUTATION": "Dr", "EMAIL_OPTED_OUT": true
            }
            """, plan.Body);
        Assert.Null(plan.CreatePath);
        Assert.Empty(plan.FollowUps);
    }

    [Fact]
    public void A_patch_writes_only_the_columns_of_the_fields_sent()
    {
        var plan = Update(Contacts.Resource, """{"title": "CEO", "account": null}""");

        Equal("""{"TITLE": "CEO", "ORGANISATION_ID": null}""", plan.Body);
    }

    [Fact]
    public void Null_clears_a_field()
    {
        var plan = Update(Contacts.Resource, """
            {"first_name": null, "description": null, "owner": null, "email_addresses": null, "tags": null}
            """);

        Equal("""{"FIRST_NAME": null, "BACKGROUND": null, "OWNER_USER_ID": null, "EMAIL_ADDRESS": null, "TAGS": []}""", plan.Body);
    }

    [Fact]
    public void Phone_numbers_replace_every_phone_column_clearing_the_types_not_sent()
    {
        var plan = Update(Contacts.Resource, """{"phone_numbers": [{"number": "+44 7700 900999", "type": "mobile"}, {"number": "+1 555 0142", "type": "other"}]}""");

        Equal("""
            {"PHONE": null, "PHONE_MOBILE": "+44 7700 900999", "PHONE_HOME": null, "PHONE_FAX": null, "PHONE_ASSISTANT": null, "PHONE_OTHER": "+1 555 0142"}
            """, plan.Body);
    }

    [Fact]
    public void An_empty_phone_list_clears_every_phone_column()
    {
        Equal("""{"PHONE": null, "PHONE_MOBILE": null, "PHONE_HOME": null, "PHONE_FAX": null, "PHONE_ASSISTANT": null, "PHONE_OTHER": null}""",
            Update(Contacts.Resource, """{"phone_numbers": []}""").Body);
    }

    [Fact]
    public void Addresses_replace_every_address_column_clearing_the_parts_and_types_not_sent()
    {
        var plan = Update(Contacts.Resource, """{"addresses": [{"city": "Tromsø", "country": "Norge", "type": "other"}]}""");

        Equal("""
            {"ADDRESS_MAIL_STREET": null, "ADDRESS_MAIL_CITY": null, "ADDRESS_MAIL_STATE": null, "ADDRESS_MAIL_POSTCODE": null, "ADDRESS_MAIL_COUNTRY": null,
             "ADDRESS_OTHER_STREET": null, "ADDRESS_OTHER_CITY": "Tromsø", "ADDRESS_OTHER_STATE": null, "ADDRESS_OTHER_POSTCODE": null, "ADDRESS_OTHER_COUNTRY": "Norge"}
            """, plan.Body);
    }

    [Fact]
    public void An_email_without_a_type_is_the_work_email()
    {
        Equal("""{"EMAIL_ADDRESS": "søren@example.dk"}""", Update(Contacts.Resource, """{"email_addresses": [{"email": "søren@example.dk"}]}""").Body);
    }

    [Fact]
    public void Malformed_lists_are_refused_naming_the_field()
    {
        Assert.Equal(["email_addresses"], RefusedFields(() => Update(Contacts.Resource, """{"email_addresses": [{"email": "a@example.com"}, {"email": "b@example.com"}]}""")));
        Assert.Equal(["email_addresses"], RefusedFields(() => Update(Contacts.Resource, """{"email_addresses": [{"email": "a@example.com", "type": "home"}]}""")));
        Assert.Equal(["phone_numbers"], RefusedFields(() => Update(Contacts.Resource, """{"phone_numbers": [{"number": "1", "type": "work"}, {"number": "2", "type": "work"}]}""")));
        Assert.Equal(["phone_numbers"], RefusedFields(() => Update(Contacts.Resource, """{"phone_numbers": [{"number": "1", "type": "pager"}]}""")));
        Assert.Equal(["phone_numbers"], RefusedFields(() => Update(Contacts.Resource, """{"phone_numbers": [{"type": "work"}]}""")));
        Assert.Equal(["phone_numbers"], RefusedFields(() => Update(Contacts.Resource, """{"phone_numbers": "+1 555 0100"}""")));
        Assert.Equal(["addresses"], RefusedFields(() => Update(Contacts.Resource, """{"addresses": [{"street_2": "Apt 4", "type": "mailing"}]}""")));
        Assert.Equal(["tags"], RefusedFields(() => Update(Contacts.Resource, """{"tags": ["vip"]}""")));
    }

    [Fact]
    public void Read_only_and_unknown_fields_are_refused_all_named_at_once()
    {
        var fields = RefusedFields(() => Update(Contacts.Resource, """
            {"id": "100101", "name": "Ada Lovelace", "created_at": "2024-01-02T03:04:05Z", "updated_at": "2024-01-02T03:04:05Z",
             "last_activity_at": "2024-01-02T03:04:05Z", "favourite_colour": "green", "FIRST_NAME": "Ada", "title": 42}
            """));

        Assert.Equal(["id", "name", "created_at", "updated_at", "last_activity_at", "favourite_colour", "FIRST_NAME", "title"], fields);
    }

    [Fact]
    public void References_take_an_id_string_and_ignore_a_repeated_name()
    {
        Equal("""{"ORGANISATION_ID": 200001, "OWNER_USER_ID": 1001}""",
            Update(Contacts.Resource, """{"account": {"id": "200001", "name": "Acme"}, "owner": {"id": "1001"}}""").Body);
        Assert.Equal(["account", "owner"], RefusedFields(() => Update(Contacts.Resource, """{"account": "200001", "owner": {"id": "ada"}}""")));
        Assert.Equal(["account"], RefusedFields(() => Update(Contacts.Resource, """{"account": {"id": "200001", "type": "account"}}""")));
        Assert.Equal(["account"], RefusedFields(() => Update(Contacts.Resource, """{"account": {"id": "0"}}""")));
    }

    [Fact]
    public void Remote_data_is_merged_last_and_overrides_the_mapped_columns()
    {
        var plan = Update(Contacts.Resource, """{"first_name": "Ada", "remote_data": {"FIRST_NAME": "Augusta Ada", "SOCIAL_LINKEDIN": null}}""");

        Equal("""{"FIRST_NAME": "Augusta Ada", "SOCIAL_LINKEDIN": null}""", plan.Body);
    }

    [Fact]
    public void Remote_data_cannot_set_the_record_id_or_be_anything_but_an_object()
    {
        Assert.Equal(["remote_data"], RefusedFields(() => Update(Contacts.Resource, """{"remote_data": {"CONTACT_ID": 5}}""")));
        Assert.Equal(["remote_data"], RefusedFields(() => Update(Contacts.Resource, """{"remote_data": "FIRST_NAME=Ada"}""")));
    }

    [Fact]
    public void Reading_a_contact_and_patching_it_back_writes_its_own_columns()
    {
        var plan = AssertRoundTrip(Contacts.Resource, Record);

        Assert.Empty(plan.FollowUps);
    }
}
