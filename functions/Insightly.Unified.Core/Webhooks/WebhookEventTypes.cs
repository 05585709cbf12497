namespace Insightly.Unified.Webhooks;

/// <summary>The event types of the contract (section 8), and <c>*</c>, which subscribes to every account event.</summary>
public static class WebhookEventTypes
{
    public const string Created = "integrated_account.created";
    public const string Updated = "integrated_account.updated";
    public const string Deleted = "integrated_account.deleted";
    public const string NeedsReauth = "integrated_account.needs_reauth";
    public const string ValidationError = "integrated_account.validation_error";
    public const string Reactivated = "integrated_account.reactivated";
    public const string Test = "webhook.test";

    /// <summary>Every event type; what a subscription to <c>*</c> receives (<c>webhook.test</c> only ever goes to the subscription tested).</summary>
    public const string All = "*";

    public static readonly IReadOnlyList<string> Types = [Created, Updated, Deleted, NeedsReauth, ValidationError, Reactivated, Test];
}
