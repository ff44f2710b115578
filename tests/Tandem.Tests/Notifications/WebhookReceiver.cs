using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Notifications;

/// <summary>A real HTTP server on loopback that records every webhook it gets and can be told to fail the first few.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Received(string Body, IReadOnlyDictionary<string, string> Headers, DateTimeOffset At, int AnsweredWith);

    private readonly WebApplication app;
    private int failuresLeft;

    public ConcurrentQueue<Received> Requests { get; } = new();

    public string Url { get; }

    private WebhookReceiver(WebApplication app, string url) { this.app = app; Url = url; }

    public static async Task<WebhookReceiver> StartAsync(int failFirst = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        WebhookReceiver? self = null;
        app.MapPost("/hook", async (HttpContext http) =>
        {
            var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
            var fail = Interlocked.Decrement(ref self!.failuresLeft) >= 0;
            var status = fail ? 503 : 200;
            self.Requests.Enqueue(new Received(body, http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                DateTimeOffset.UtcNow, status));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new WebhookReceiver(app, address + "/hook") { failuresLeft = failFirst };
        return self;
    }

    public async Task<IReadOnlyList<Received>> WaitForAsync(Func<IReadOnlyCollection<Received>, bool> done, TimeSpan? timeout = null)
    {
        return await Poll.UntilAsync(() => Task.FromResult<IReadOnlyList<Received>>(Requests.ToList()), got => done(got),
            "the receiver has the requests the test waits for", timeout);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
