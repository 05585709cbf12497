using System.Text.Json.Nodes;
using Azure;
using Insightly.Unified.Errors;
using Insightly.Unified.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Insightly.Unified.UnitTests;

public sealed class ApiRequestRunnerTests
{
    private readonly ApiRequestRunner runner = new(NullLogger<ApiRequestRunner>.Instance);

    [Fact]
    public async Task An_api_exception_becomes_the_contract_error_with_its_headers()
    {
        var (status, body, headers) = await Run(_ => throw new ApiException(405, ErrorCodes.MethodNotAllowed, "Use GET.")
        {
            Headers = new Dictionary<string, string> { ["Allow"] = "GET" },
        });

        Assert.Equal(405, status);
        Assert.Equal("method_not_allowed", body["error"]!.GetValue<string>());
        Assert.Equal(405, body["status_code"]!.GetValue<int>());
        Assert.Equal("GET", headers["Allow"]);
    }

    [Theory]
    [InlineData(DependencyFailurePolicy.Storage)]
    [InlineData(DependencyFailurePolicy.SecretStore)]
    public async Task A_storage_or_vault_outage_is_503_naming_the_source(string source)
    {
        var (status, body, _) = await Run(_ => throw new DependencyUnavailableException(
            source, new AggregateException("Retry failed after 4 tries.", new RequestFailedException("Connection refused"))));
        Assert.Equal(503, status);
        Assert.Equal("upstream_unavailable", body["error"]!.GetValue<string>());
        Assert.Equal(source, body["details"]!["source"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unexpected_storage_answer_is_a_bug_not_an_outage()
    {
        var (status, _, _) = await Run(_ => throw new RequestFailedException(409, "EntityAlreadyExists"));
        Assert.Equal(500, status);
    }

    [Fact]
    public async Task A_body_the_server_refused_is_413()
    {
        var (status, body, _) = await Run(_ => throw new BadHttpRequestException("Request body too large.", 413));
        Assert.Equal(413, status);
        Assert.Equal("payload_too_large", body["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bug_is_500_with_a_correlation_id_and_no_stack_trace()
    {
        var (status, body, _) = await Run(_ => throw new InvalidOperationException("secret internals"));

        Assert.Equal(500, status);
        Assert.Equal("internal_error", body["error"]!.GetValue<string>());
        Assert.Contains("trace-1", body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret internals", body.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("at ", body["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/integrated-accounts/ia-route", "", null, "ia-route")]
    [InlineData("/api/unified/crm/contacts/101", "?integrated_account_id=ia-query", null, "ia-query")]
    [InlineData("/api/unified/crm/contacts/101", "", "ia-header", "ia-header")]
    [InlineData("/api/unified/crm/contacts/101", "", null, null)]
    public async Task The_log_scope_names_the_integrated_account_never_a_crm_record_id(string path, string query, string? header, string? expected)
    {
        var logger = new ScopeRecordingLogger();
        var context = new DefaultHttpContext { TraceIdentifier = "trace-1" };
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        context.Request.RouteValues["id"] = path[(path.LastIndexOf('/') + 1)..];
        if (header is not null)
        {
            context.Request.Headers["X-Integrated-Account-Id"] = header;
        }

        await new ApiRequestRunner(logger).RunAsync(context.Request, _ => Task.FromResult<IActionResult>(new OkResult()));

        Assert.Equal(expected, logger.Scope!["AccountId"]);
    }

    private sealed class ScopeRecordingLogger : Microsoft.Extensions.Logging.ILogger<ApiRequestRunner>
    {
        public IReadOnlyDictionary<string, object?>? Scope { get; private set; }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            Scope = state as IReadOnlyDictionary<string, object?>;
            return null;
        }

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => false;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }
    }

    private async Task<(int Status, JsonObject Body, IHeaderDictionary Headers)> Run(Func<CancellationToken, Task<IActionResult>> handler)
    {
        var context = new DefaultHttpContext { TraceIdentifier = "trace-1" };
        var body = new MemoryStream();
        context.Response.Body = body;
        var result = await runner.RunAsync(context.Request, handler);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        return (context.Response.StatusCode, JsonNode.Parse(body.ToArray())!.AsObject(), context.Response.Headers);
    }
}
