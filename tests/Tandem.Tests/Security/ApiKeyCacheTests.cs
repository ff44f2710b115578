using Tandem.Server.Security;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Security;

public sealed class ApiKeyCacheTests
{
    private static readonly ApiKeyInfo Website = new(7, "website", "tdm_abcd", [Scopes.Ingest], DateTimeOffset.UnixEpoch, null, null);

    [Fact]
    public void A_flood_of_invalid_keys_does_not_flush_the_valid_ones()
    {
        var cache = new ApiKeyCache(new ManualClock());
        cache.Remember("tdm_real", Website);

        for (var i = 0; i <= ApiKeyCache.MaxInvalidEntries * 2; i++) cache.Remember($"tdm_made_up_{i}", null);

        Assert.True(cache.TryGet("tdm_real", out var info));
        Assert.Equal(Website, info);
    }

    [Fact]
    public void An_invalid_key_is_remembered_as_invalid_for_the_window_only()
    {
        var clock = new ManualClock();
        var cache = new ApiKeyCache(clock);
        cache.Remember("tdm_wrong", null);

        Assert.True(cache.TryGet("tdm_wrong", out var info));
        Assert.Null(info);
        clock.Advance(ApiKeyCache.Window + TimeSpan.FromSeconds(1));
        Assert.False(cache.TryGet("tdm_wrong", out _));
    }

    [Fact]
    public void A_key_that_became_valid_is_no_longer_remembered_as_invalid()
    {
        var cache = new ApiKeyCache(new ManualClock());
        cache.Remember("tdm_new", null);

        cache.Remember("tdm_new", Website);

        Assert.True(cache.TryGet("tdm_new", out var info));
        Assert.Equal(Website, info);
    }
}
