using Azure.Data.Tables;
using Insightly.Unified.Configuration;
using Insightly.Unified.Link;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.Functions.Link;

/// <summary>The link flow's services (contract section 7), added by the composition root.</summary>
public static class LinkRegistration
{
    public static IServiceCollection AddLinkFlow(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LinkFlowOptions>().Bind(configuration.GetSection(LinkFlowOptions.Section))
            .Validate(o => o.IsValid(), $"Link:TokenLifetime must be between {LinkFlowOptions.MinTokenLifetime} and {LinkFlowOptions.MaxTokenLifetime}.")
            .ValidateOnStart();
        services.AddSingleton<ILinkTokenStore>(sp => new TableLinkTokenStore(sp.GetRequiredService<TableServiceClient>()
            .GetTableClient(sp.GetRequiredService<IOptions<StorageOptions>>().Value.LinkTokensTable)));
        services.AddSingleton<LinkTokenCodec>();
        services.AddSingleton<LinkTokens>();
        services.AddTransient<LinkService>();
        services.AddTransient<LinkPages>();
        return services;
    }
}
