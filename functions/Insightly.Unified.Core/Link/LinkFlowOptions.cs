namespace Insightly.Unified.Link;

/// <summary>The hosted link flow (section <c>Link</c>; contract section 7).</summary>
public sealed class LinkFlowOptions
{
    public const string Section = "Link";

    public static readonly TimeSpan MinTokenLifetime = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromDays(7);

    /// <summary>How long a link token can be used (<c>Link__TokenLifetime</c>, default 30 minutes).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    public bool IsValid() => TokenLifetime >= MinTokenLifetime && TokenLifetime <= MaxTokenLifetime;
}
