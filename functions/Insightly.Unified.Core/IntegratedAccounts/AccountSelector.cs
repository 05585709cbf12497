using System.Text.Json.Nodes;
using Insightly.Unified.Errors;
using Insightly.Unified.Http;
using Insightly.Unified.Insightly;
using Microsoft.AspNetCore.Http;

namespace Insightly.Unified.IntegratedAccounts;

/// <summary>
/// The linked account a unified or proxy request is for, chosen by the <c>integrated_account_id</c> query
/// parameter or the <c>X-Integrated-Account-Id</c> header (both only if they agree): 400 without one, 404 when
/// unknown, 401 while it needs re-authentication — all before any other work is done for the request. The row
/// comes from the repository's short-lived cache, so a warm request reads no storage.
/// </summary>
public sealed class AccountSelector(AccountRepository accounts)
{
    public const string Parameter = "integrated_account_id";
    public const string Header = "X-Integrated-Account-Id";

    public async Task<IntegratedAccount> SelectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var accountId = IdOf(request);
        var account = await accounts.FindForRequestAsync(accountId, cancellationToken) ?? throw ApiException.AccountNotFound(accountId);
        AccountConnector.EnsureUsable(account);
        return account;
    }

    public static string IdOf(HttpRequest request)
    {
        var fromQuery = request.Query.OptionalString(Parameter);
        var headerValues = request.Headers[Header];
        if (headerValues.Count > 1)
        {
            throw ApiException.InvalidParameter(Header, $"'{Header}' was given more than once.");
        }

        var fromHeader = headerValues.Count == 0 ? null : headerValues[0]?.Trim();
        if (fromHeader is { Length: 0 })
        {
            throw ApiException.InvalidParameter(Header, $"'{Header}' is blank; give it a value or leave it out.");
        }

        if (fromQuery is not null && fromHeader is not null && !string.Equals(fromQuery, fromHeader, StringComparison.Ordinal))
        {
            throw new ApiException(400, ErrorCodes.InvalidParameter,
                $"'{Parameter}' and '{Header}' name different accounts; give one of them.",
                new JsonObject { ["parameter"] = Parameter });
        }

        return fromQuery ?? fromHeader ?? throw ApiException.MissingParameter(Parameter,
            $"Say which linked account to use with the '{Parameter}' query parameter or the '{Header}' header.");
    }
}
