using Insightly.Unified.Errors;
using Insightly.Unified.Insightly;

namespace Insightly.Unified.Unified.Idempotency;

/// <summary>What a failed write leaves its <c>Idempotency-Key</c> with.</summary>
public enum WriteOutcome
{
    /// <summary>Nothing changed in Insightly for certain: the key is released and may be used again.</summary>
    NothingWritten,

    /// <summary>Insightly's definitive answer, after part of the write took effect: the key keeps it for replays.</summary>
    Answered,

    /// <summary>The write may have taken effect: the key is kept as "outcome unknown", never run again.</summary>
    Unknown,
}

/// <summary>
/// How far a write got upstream, told by the writer as it goes, so that a failure can be judged: before any write
/// call is sent nothing can have changed; once one was sent only Insightly's refusal proves that nothing did;
/// once one took effect the record exists, whatever fails after it.
/// </summary>
public sealed class WriteAttempt
{
    /// <summary>An upstream write call (the record's own POST or PUT, or a follow-up) is on its way or was sent.</summary>
    public bool Sent { get; private set; }

    /// <summary>At least one upstream write call took effect.</summary>
    public bool Applied { get; private set; }

    /// <summary>The record written, once known: from the route on an update, from Insightly's answer on a create.</summary>
    public long? RecordId { get; private set; }

    /// <summary>Called just before an upstream write call is sent.</summary>
    public void Sending(long? recordId = null)
    {
        Sent = true;
        RecordId ??= recordId;
    }

    /// <summary>Called once an upstream write call has succeeded.</summary>
    public void Succeeded(long recordId)
    {
        Applied = true;
        RecordId = recordId;
    }

    public WriteOutcome OutcomeOf(Exception failure)
    {
        if (!Sent)
        {
            return WriteOutcome.NothingWritten;
        }

        if (!Applied)
        {
            return InsightlyErrors.ChangedNothing(failure) ? WriteOutcome.NothingWritten : WriteOutcome.Unknown;
        }

        // The record was written; a follow-up Insightly refused for good (a 400 on a stage, say) is a final answer
        // that names what was applied. Throttling, outages, timeouts and a caller who left tell nothing for sure.
        return failure is ApiException { StatusCode: >= 400 and < 500 and not 429 } ? WriteOutcome.Answered : WriteOutcome.Unknown;
    }
}
