using System.ComponentModel.DataAnnotations;

namespace Insightly.Unified.Configuration;

/// <summary>Limits of the public HTTP API (section <c>Api</c>).</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    [Range(1024, 100 * 1024 * 1024)]
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Optional: the cursor HMAC key (base64, at least 32 bytes). Unset, one is generated and kept in the secret store.</summary>
    [Base64String]
    [MinLength(44)]
    public string? CursorSigningKey { get; set; }

    /// <summary>Optional: the link-token HMAC key (base64, at least 32 bytes). Unset, one is generated and kept in the secret store.</summary>
    [Base64String]
    [MinLength(44)]
    public string? LinkTokenSigningKey { get; set; }
}

/// <summary>Where Insightly is and how politely we call it (section <c>Insightly</c>).</summary>
public sealed class InsightlyOptions
{
    public const string Section = "Insightly";

    /// <summary>Base URL with a <c>{pod}</c> placeholder; tests point it at a local fake.</summary>
    [Required]
    public string BaseUrlTemplate { get; set; } = "https://api.{pod}.insightly.com/v3.1/";

    /// <summary>
    /// Insightly allows 10 requests a second; staying below leaves room for clock skew. Against Insightly
    /// (an <c>insightly.com</c> base URL) at most <see cref="MaxInsightlyRequestsPerSecond"/>; higher rates are
    /// only for a stand-in such as the benchmark's fake (checked at start-up, <see cref="IsInsightlyHost"/>).
    /// </summary>
    [Range(1, 1_000_000)]
    public int RequestsPerSecond { get; set; } = 8;

    public const int MaxInsightlyRequestsPerSecond = 9;

    /// <summary>True when the base URL template points at Insightly itself (<c>insightly.com</c> or a subdomain).</summary>
    public static bool IsInsightlyHost(string baseUrlTemplate)
    {
        if (!Uri.TryCreate(baseUrlTemplate.Replace("{pod}", "na1", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return true;
        }

        var host = uri.IdnHost.TrimEnd('.');
        return host.Equals("insightly.com", StringComparison.OrdinalIgnoreCase)
               || host.EndsWith(".insightly.com", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// How many calls of one account may wait for a rate-limit permit before we answer 429 ourselves. A call whose
    /// wait would outlast its total timeout is refused anyway; this only bounds the memory one account can take.
    /// </summary>
    [Range(0, 10_000)]
    public int LimiterQueueLimit { get; set; } = 1_000;

    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>An account's rate-limit bucket is dropped after it has been unused this long.</summary>
    public TimeSpan LimiterIdleTimeout { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A <c>Retry-After</c> longer than this is not waited out; the 429 goes to the caller.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(20);

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(20);

    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// While an account's daily quota is spent (expected back at midnight UTC, which is unconfirmed), one real call
    /// is let through this often to notice an early reset or a plan upgrade; the others are answered 429 at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan DailyQuotaProbeInterval { get; set; } = TimeSpan.FromMinutes(15);

    [Range(2, 1000)]
    public int CircuitMinimumThroughput { get; set; } = 10;
}

/// <summary>The secret store (section <c>KeyVault</c>); <c>KeyVault__Uri</c> unset means the development store.</summary>
public sealed class SecretStoreOptions
{
    public const string Section = "KeyVault";

    public Uri? Uri { get; set; }

    /// <summary>How long a key read from the store is reused before it is read again.</summary>
    public TimeSpan KeyCacheTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>While the store is unavailable, how old a key read before may still be used.</summary>
    public TimeSpan MaxStaleKeyAge { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Table names (section <c>Storage</c>); tests give each run its own.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string AccountsTable { get; set; } = "IntegratedAccounts";

    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string DevelopmentSecretsTable { get; set; } = "DevelopmentSecrets";

    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string IdempotencyTable { get; set; } = "IdempotencyKeys";

    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string LinkTokensTable { get; set; } = "LinkTokens";

    /// <summary>
    /// How long a request reuses an account's row (status, pod) before reading the table again; zero reads it on
    /// every request. Changes made on the same instance are seen at once; this bounds how long another instance's
    /// change can go unseen here (a 401 from Insightly still flips the account wherever it is seen).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan AccountCacheTtl { get; set; } = TimeSpan.FromSeconds(30);

    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string WebhooksTable { get; set; } = "WebhookSubscriptions";

    /// <summary>Events of deleted accounts whose enqueue failed, until the credential check sends them.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string WebhookOutboxTable { get; set; } = "WebhookOutbox";
}

/// <summary>The scheduled credential check (section <c>CredentialCheck</c>; the schedule itself is <c>CREDENTIAL_CHECK_SCHEDULE</c>).</summary>
public sealed class CredentialCheckOptions
{
    public const string Section = "CredentialCheck";

    public const string ScheduleSetting = "CREDENTIAL_CHECK_SCHEDULE";

    /// <summary>
    /// The one default of <see cref="ScheduleSetting"/>: local.settings.sample.json and the Bicep template carry it
    /// (a test pins both to this value). Neither host falls back to it at run time; unset, the timer is disabled.
    /// </summary>
    public const string DefaultSchedule = "0 0 */6 * * *";

    /// <summary>
    /// Accounts checked at once. Each account has its own rate-limit bucket, so this bounds only our own load
    /// (sockets, Key Vault and Table calls). A run's length is about accounts × time per account ÷ this, and
    /// must stay well inside host.json's <c>functionTimeout</c> for the largest expected run (20,000 accounts);
    /// the README has the measured figures.
    /// </summary>
    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>How old a key with no account must be before the sweep after each check deletes it.</summary>
    public TimeSpan OrphanSecretAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Transient failures in a row before an account is shown as <c>validation_error</c>.</summary>
    [Range(1, 100)]
    public int FailuresBeforeValidationError { get; set; } = 3;
}

/// <summary>The unified CRM API (section <c>Unified</c>).</summary>
public sealed class UnifiedOptions
{
    public const string Section = "Unified";

    /// <summary>How long an account's pipelines, stages, lead statuses and sources and custom fields are reused.</summary>
    public TimeSpan LookupCacheTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many (account, lookup) entries the cache holds at most.</summary>
    [Range(100, 10_000_000)]
    public int LookupCacheEntries { get; set; } = 50_000;

    /// <summary>How long an <c>Idempotency-Key</c> is remembered.</summary>
    public TimeSpan IdempotencyLifetime { get; set; } = TimeSpan.FromHours(24);
}
