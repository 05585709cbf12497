using System.Globalization;
using System.Text.Json;
using Insightly.Unified.Http;
using Insightly.Unified.Insightly;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Unified.Listing;
using Insightly.Unified.Unified.Mapping;
using Insightly.Unified.Unified.Resources;
using Microsoft.AspNetCore.Mvc;

namespace Insightly.Unified.Unified.Pipeline;

/// <summary>
/// <c>GET /unified/crm/contacts/{id}/context</c>: the contact who just wrote in, with its account, its open
/// opportunities, its projects, its open tasks and its latest notes, each a unified object without
/// <c>remote_data</c>, for a bounded number of Insightly calls:
/// the contact (1; its LINKS name its opportunities and projects), its account (1, when it has one), each linked
/// opportunity and project by id (at most <see cref="MostLinked"/> of each, the newest), its tasks (1, or 2 when it has
/// more than <see cref="TaskWindow"/>: the newest ones) and its notes (1, or 2 when it has more than
/// <see cref="LatestNotes"/>). At most 6 + 2 × <see cref="MostLinked"/> calls, besides the per-account lookups.
/// A section cut short by these bounds is named in <c>truncated</c>.
/// </summary>
public sealed class ContactContextReader(AccountConnector connector, UnifiedReader reader, LinkedRecords linked)
{
    /// <summary>Linked opportunities, and linked projects, read at most (each is a call).</summary>
    public const int MostLinked = 25;

    /// <summary>The newest tasks among which the open ones are found.</summary>
    public const int TaskWindow = 500;

    public const int LatestNotes = 10;

    public async Task<IActionResult> GetAsync(IntegratedAccount account, long contactId, CancellationToken cancellationToken)
    {
        var contactMapping = reader.ContextAsync(Contacts.Resource, account, includeRemoteData: false, cancellationToken);
        JsonElement contact;
        using (var answer = await connector.GetDocumentAsync(account, $"{Contacts.Resource.Collection}/{contactId}", cancellationToken))
        {
            contact = answer.Root.Clone();
        }

        var links = InsightlyValues.Property(contact, "LINKS");
        var opportunityIds = LinkedRecords.IdsIn(links, Opportunities.Resource.ObjectName!);
        var projectIds = LinkedRecords.IdsIn(links, Projects.Resource.ObjectName!);
        var organisationId = InsightlyValues.ParseId(InsightlyValues.IdText(InsightlyValues.Property(contact, "ORGANISATION_ID")));

        var organisationRead = ByIdAsync(Accounts.Resource, organisationId is { } id ? [id] : []);
        var opportunitiesRead = ByIdAsync(Opportunities.Resource, Newest(opportunityIds));
        var projectsRead = ByIdAsync(Projects.Resource, Newest(projectIds));
        var tasksRead = LatestAsync(Tasks.Resource, TaskWindow);
        var notesRead = LatestAsync(Notes.Resource, LatestNotes);
        await Task.WhenAll(contactMapping, organisationRead, opportunitiesRead, projectsRead, tasksRead, notesRead);
        var (mapping, organisation, opportunities, projects, tasks, notes) =
            (await contactMapping, await organisationRead, await opportunitiesRead, await projectsRead, await tasksRead, await notesRead);

        string[] truncated =
        [
            .. opportunityIds.Count > MostLinked ? ["opportunities"] : Array.Empty<string>(),
            .. projectIds.Count > MostLinked ? ["projects"] : Array.Empty<string>(),
            .. tasks.Truncated ? ["tasks"] : Array.Empty<string>(),
        ];
        return new JsonWriterResult(200, (writer, _) =>
        {
            writer.WriteStartObject();
            writer.WritePropertyName("contact");
            RecordMapper.Write(writer, Contacts.Resource, contact, mapping);
            writer.WritePropertyName("account");
            if (organisation.Records.Count > 0)
            {
                RecordMapper.Write(writer, Accounts.Resource, organisation.Records[0], organisation.Mapping!);
            }
            else
            {
                writer.WriteNullValue();
            }

            WriteList(writer, "opportunities", Opportunities.Resource, opportunities.Records.Where(IsOpen), opportunities.Mapping);
            WriteList(writer, "projects", Projects.Resource, projects.Records, projects.Mapping);
            WriteList(writer, "tasks", Tasks.Resource, tasks.Records.Where(IsNotCompleted), tasks.Mapping);
            WriteList(writer, "notes", Notes.Resource, notes.Records.Reverse(), notes.Mapping);
            writer.WriteStartArray("truncated");
            foreach (var section in truncated)
            {
                writer.WriteStringValue(section);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            return Task.CompletedTask;
        });

        // The records of these ids, one call each, and what mapping them needs (nothing for none).
        async Task<(IReadOnlyList<JsonElement> Records, MappingContext? Mapping)> ByIdAsync(CrmResource resource, IReadOnlyList<long> ids)
        {
            if (ids.Count == 0)
            {
                return ([], null);
            }

            var resourceMapping = reader.ContextAsync(resource, account, includeRemoteData: false, cancellationToken);
            var records = await linked.GetAsync(account, resource.Collection, ids, cancellationToken);
            return (records, await resourceMapping);
        }

        // The contact's newest records of a sub-collection (ascending id is creation order): its first page, and when
        // that is not all of them, the last one instead.
        async Task<(IReadOnlyList<JsonElement> Records, MappingContext Mapping, bool Truncated)> LatestAsync(CrmResource resource, int count)
        {
            var resourceMapping = reader.ContextAsync(resource, account, includeRemoteData: false, cancellationToken);
            var path = $"{Contacts.Resource.Collection}/{contactId}/{resource.Collection}";
            var (records, total) = await PageAsync(path, 0, count);
            if (total > count)
            {
                (records, _) = await PageAsync(path, total.Value - count, count);
            }

            return (records, await resourceMapping, total > count);
        }

        async Task<(IReadOnlyList<JsonElement> Records, long? Total)> PageAsync(string path, long skip, int top)
        {
            using var page = await connector.GetDocumentAsync(account,
                string.Create(CultureInfo.InvariantCulture, $"{path}?skip={skip}&top={top}&count_total=true"), cancellationToken);
            return (page.Root.ValueKind == JsonValueKind.Array ? [.. page.Root.EnumerateArray().Select(r => r.Clone())] : [], page.TotalCount);
        }
    }

    /// <summary>The newest (highest) ids, in ascending order.</summary>
    private static IReadOnlyList<long> Newest(IReadOnlyList<long> ids) => [.. ids.Skip(Math.Max(0, ids.Count - MostLinked))];

    /// <param name="mapping">Null only when there are no records.</param>
    private static void WriteList(Utf8JsonWriter writer, string name, CrmResource resource, IEnumerable<JsonElement> records, MappingContext? mapping)
    {
        writer.WriteStartArray(name);
        foreach (var record in records)
        {
            RecordMapper.Write(writer, resource, record, mapping!);
        }

        writer.WriteEndArray();
    }

    private static bool IsOpen(JsonElement opportunity) =>
        string.Equals(InsightlyValues.Text(InsightlyValues.Property(opportunity, "OPPORTUNITY_STATE")), "OPEN", StringComparison.OrdinalIgnoreCase);

    private static bool IsNotCompleted(JsonElement task) =>
        InsightlyValues.Property(task, "COMPLETED").ValueKind != JsonValueKind.True
        && !string.Equals(InsightlyValues.Text(InsightlyValues.Property(task, "STATUS")), "COMPLETED", StringComparison.OrdinalIgnoreCase);
}
