namespace Insightly.Unified.Insightly;

/// <summary>What one Insightly call needs to authenticate. <see cref="ToString"/> never shows the key.</summary>
public sealed record InsightlyCredentials(string Pod, string ApiKey)
{
    public override string ToString() => $"InsightlyCredentials {{ Pod = {Pod} }}";
}
