using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Moq;

namespace Insightly.Unified.UnitTests;

/// <summary>
/// A <see cref="TableClient"/> over a dictionary with Table storage's conditional-write rules (409 on adding an
/// existing row, 412 on a stale ETag, 404 on a missing one), for the single-row operations a store uses.
/// <see cref="FailWrites"/> makes every update fail, as an outage would.
/// </summary>
internal sealed class InMemoryTable
{
    private readonly ConcurrentDictionary<(string, string), TableEntity> rows = new();
    private readonly Lock gate = new();
    private readonly Mock<TableClient> client = new();
    private long version;

    public InMemoryTable()
    {
        client.Setup(t => t.AddEntityAsync(It.IsAny<TableEntity>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((TableEntity entity, CancellationToken _) => Write(entity, existing => existing is null ? null : 409));
        client.Setup(t => t.UpdateEntityAsync(It.IsAny<TableEntity>(), It.IsAny<ETag>(), TableUpdateMode.Replace, It.IsAny<CancellationToken>()))
            .ReturnsAsync((TableEntity entity, ETag ifMatch, TableUpdateMode _, CancellationToken _) =>
                FailWrites ? throw new RequestFailedException(503, "Table storage is down.") : Write(entity, existing => Refusal(existing, ifMatch)));
        client.Setup(t => t.DeleteEntityAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<ETag>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string partition, string row, ETag ifMatch, CancellationToken cancellationToken) =>
            {
                lock (gate)
                {
                    rows.TryGetValue((partition, row), out var existing);
                    if (Refusal(existing, ifMatch) is { } status)
                    {
                        throw new RequestFailedException(status, "Refused.");
                    }

                    rows.TryRemove((partition, row), out TableEntity? _);
                    return WithETag(default);
                }
            });
        client.Setup(t => t.GetEntityIfExistsAsync<TableEntity>(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<IEnumerable<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string partition, string row, IEnumerable<string> _, CancellationToken _) => Read(partition, row));
    }

    public TableClient Client => client.Object;

    public bool FailWrites { get; set; }

    public IReadOnlyList<TableEntity> Rows => rows.Values.ToList();

    private NullableResponse<TableEntity> Read(string partition, string row) =>
        rows.TryGetValue((partition, row), out var entity)
            ? Response.FromValue(new TableEntity(entity) { ETag = entity.ETag }, WithETag(entity.ETag))
            : new Mock<NullableResponse<TableEntity>>().Object;

    private Response Write(TableEntity entity, Func<TableEntity?, int?> refusal)
    {
        lock (gate)
        {
            rows.TryGetValue((entity.PartitionKey, entity.RowKey), out var existing);
            if (refusal(existing) is { } status)
            {
                throw new RequestFailedException(status, "Refused.");
            }

            var etag = new ETag($"W/\"{++version}\"");
            rows[(entity.PartitionKey, entity.RowKey)] = new TableEntity(entity) { ETag = etag };
            return WithETag(etag);
        }
    }

    private static int? Refusal(TableEntity? existing, ETag ifMatch) =>
        existing is null ? 404 : ifMatch != ETag.All && ifMatch != existing.ETag ? 412 : null;

    private static Response WithETag(ETag etag) => new ETagResponse(etag);

    /// <summary>A response that carries only its ETag header, as a successful Table write answers.</summary>
    private sealed class ETagResponse(ETag etag) : Response
    {
        public override int Status => 204;

        public override string ReasonPhrase => "No Content";

        public override Stream? ContentStream { get; set; }

        public override string ClientRequestId { get; set; } = "";

        public override void Dispose()
        {
        }

        protected override bool ContainsHeader(string name) => TryGetHeader(name, out _);

        protected override IEnumerable<HttpHeader> EnumerateHeaders() =>
            etag == default ? [] : [new HttpHeader("ETag", etag.ToString())];

        protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
        {
            value = name.Equals("ETag", StringComparison.OrdinalIgnoreCase) && etag != default ? etag.ToString() : null;
            return value is not null;
        }

        protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = TryGetHeader(name, out var value) ? [value!] : null;
            return values is not null;
        }
    }
}
