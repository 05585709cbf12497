using Insightly.Unified.Functions.Hosting;

namespace Insightly.Unified.UnitTests;

public sealed class FunctionCatalogTests
{
    private readonly FunctionCatalog catalog = new();

    [Fact]
    public void Knows_which_methods_a_path_serves()
    {
        Assert.Equal(["DELETE", "GET", "PATCH"], catalog.MethodsAllowedAt("integrated-accounts/ia-abc"));
        Assert.Equal(["GET", "POST"], catalog.MethodsAllowedAt("integrated-accounts"));
        Assert.Equal(["POST"], catalog.MethodsAllowedAt("integrated-accounts/ia-abc/validate"));
    }

    [Fact]
    public void An_unknown_path_serves_nothing() => Assert.Empty(catalog.MethodsAllowedAt("nothing/here"));
}
