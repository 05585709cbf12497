using Insightly.Unified.Unified.Mapping;

namespace Insightly.Unified.Unified.Resources;

/// <summary>
/// CRM notes: Insightly's Notes, created only under their parent (<c>POST /Contacts/{id}/Notes</c> and the like)
/// and listed by parent through the same path. Their links to records are Insightly's and read-only here.
/// </summary>
public static class Notes
{
    public const string Route = CrmResource.CrmRoutePrefix + "notes";

    public static readonly CrmResource Resource = new("notes", "note", "Notes", "NOTE_ID", Route)
    {
        ObjectName = "Note",
        // Insightly documents updated_after_utc on a parent's notes.
        Filters = ListFilter.Parents(updatedAfterUpstream: true),
        Fields =
        [
            Map.Text("title", "TITLE", required: true),
            Map.LongText("content", "BODY"),
            Map.Owner(),
            Map.Links("contacts", "Contact", "contact", editable: false),
            Map.Links("accounts", "Organisation", "account", editable: false),
            Map.Links("leads", "Lead", "lead", editable: false),
            Map.Links("opportunities", "Opportunity", "opportunity", editable: false),
            Map.Links("projects", "Project", "project", editable: false),
            new NoteParentMap(),
        ],
    };
}
