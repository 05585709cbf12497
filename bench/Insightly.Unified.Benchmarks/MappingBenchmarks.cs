using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Insightly.Unified.Http;
using Insightly.Unified.Unified.Lookups;
using Insightly.Unified.Unified.Mapping;
using Insightly.Unified.Unified.Resources;

namespace Insightly.Unified.Benchmarks;

/// <summary>
/// A page of 500 realistic Insightly contacts mapped to unified JSON (as the list writes it, <c>remote_data</c>
/// included) and unified write bodies mapped back to Insightly's; figures are per contact.
/// </summary>
[MemoryDiagnoser]
public class MappingBenchmarks
{
    private const int Page = 500;

    private JsonDocument page = null!;
    private JsonElement[] records = null!;
    private MappingContext context = null!;
    private MappingContext withoutRemoteData = null!;
    private JsonObject[] bodies = null!;
    private readonly ArrayBufferWriter<byte> buffer = new(4 * 1024 * 1024);

    [GlobalSetup]
    public void Setup()
    {
        var (contacts, customFields) = Fixtures.CaptureContacts(Page);
        page = Fixtures.Parse(contacts);
        records = [.. page.RootElement.EnumerateArray()];
        using var definitions = Fixtures.Parse(customFields);
        var set = new CustomFieldSet([.. definitions.RootElement.EnumerateArray().Select(d => CustomFieldDefinition.Parse(d.Clone())).OfType<CustomFieldDefinition>()]);
        context = new MappingContext(LookupSet.Empty, set, includeRemoteData: true);
        withoutRemoteData = new MappingContext(LookupSet.Empty, set, includeRemoteData: false);

        // Write bodies: each contact's unified form, editable fields only (custom fields too), as a client would send it back.
        var editable = Contacts.Resource.UnifiedFields.Where(f => f.IsEditable && !f.IsCreateOnly).Select(f => f.Name).ToHashSet();
        var editableCustom = set.All.Where(d => d.Editable).Select(d => d.Name).ToHashSet();
        bodies = records.Select(record =>
        {
            var unified = JsonNode.Parse(Write(record, withoutRemoteData))!.AsObject();
            var body = new JsonObject();
            foreach (var (name, value) in unified)
            {
                if (editable.Contains(name))
                {
                    body[name] = value?.DeepClone();
                }
            }

            if (unified["custom_fields"] is JsonObject custom)
            {
                body["custom_fields"] = new JsonObject(custom.Where(c => editableCustom.Contains(c.Key)).Select(c => KeyValuePair.Create(c.Key, c.Value?.DeepClone())));
            }

            return body;
        }).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => page.Dispose();

    [Benchmark(OperationsPerInvoke = Page, Description = "Insightly contact → unified JSON, with remote_data (per contact)")]
    public long ToUnified() => WritePage(context);

    [Benchmark(OperationsPerInvoke = Page, Description = "Insightly contact → unified JSON, include_remote_data=false (per contact)")]
    public long ToUnifiedWithoutRemoteData() => WritePage(withoutRemoteData);

    [Benchmark(OperationsPerInvoke = Page, Description = "unified PATCH body → Insightly body (per contact)")]
    public int FromUnified()
    {
        var fields = 0;
        foreach (var body in bodies)
        {
            fields += RecordMapper.Plan(Contacts.Resource, body, WriteKind.Update, context).Body.Count;
        }

        return fields;
    }

    private long WritePage(MappingContext mapping)
    {
        buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(buffer, JsonWriterResult.Options);
        writer.WriteStartArray();
        foreach (var record in records)
        {
            RecordMapper.Write(writer, Contacts.Resource, record, mapping);
        }

        writer.WriteEndArray();
        writer.Flush();
        return buffer.WrittenCount;
    }

    private static string Write(JsonElement record, MappingContext mapping)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, JsonWriterResult.Options))
        {
            RecordMapper.Write(writer, Contacts.Resource, record, mapping);
        }

        return System.Text.Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
