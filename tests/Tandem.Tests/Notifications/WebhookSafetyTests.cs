using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tandem.Server.Notifications;
using Tandem.Server.Security;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Notifications;

/// <summary>Webhooks reach only public https receivers unless an admin names a host; what a receiver says never reaches the delivery log.</summary>
public sealed class WebhookSafetyTests
{
    /// <summary>No exceptions: what a production server does when nobody allowed a host.</summary>
    private static readonly Dictionary<string, string?> NoAllowances = new()
    {
        ["Tandem:Notifications:Webhooks:AllowHttpHosts:0"] = "",
        ["Tandem:Notifications:Webhooks:AllowPrivateHosts:0"] = "",
        ["Tandem:Notifications:PollMilliseconds"] = "50",
        ["Tandem:Notifications:MaxAttempts"] = "1",
    };

    private static readonly Dictionary<string, string?> OneAttempt = new()
    {
        ["Tandem:Notifications:PollMilliseconds"] = "50",
        ["Tandem:Notifications:MaxAttempts"] = "1",
    };

    [Theory]
    [InlineData("127.0.0.1", "Loopback")]
    [InlineData("127.9.9.9", "Loopback")]
    [InlineData("::1", "Loopback")]
    [InlineData("::ffff:127.0.0.1", "Loopback")]
    [InlineData("10.20.30.40", "Private")]
    [InlineData("172.16.0.1", "Private")]
    [InlineData("172.31.255.255", "Private")]
    [InlineData("192.168.1.1", "Private")]
    [InlineData("100.64.0.1", "Private")]
    [InlineData("fd12:3456::1", "Private")]
    [InlineData("64:ff9b::a00:1", "Private")]
    [InlineData("169.254.10.10", "LinkLocal")]
    [InlineData("fe80::1", "LinkLocal")]
    [InlineData("169.254.169.254", "Metadata")]
    [InlineData("::ffff:169.254.169.254", "Metadata")]
    [InlineData("100.100.100.200", "Metadata")]
    [InlineData("fd00:ec2::254", "Metadata")]
    [InlineData("0.0.0.0", "Reserved")]
    [InlineData("255.255.255.255", "Reserved")]
    [InlineData("224.0.0.1", "Reserved")]
    public void Addresses_that_are_not_the_public_internet_are_classified(string address, string kind) =>
        Assert.Equal(Enum.Parse<AddressKind>(kind), AddressRanges.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:4700::1111")]
    public void Public_addresses_are_allowed(string address) => Assert.Null(AddressRanges.Classify(IPAddress.Parse(address)));

    [Fact]
    public async Task Subscribing_a_url_that_resolves_to_loopback_private_or_metadata_addresses_or_plain_http_is_refused()
    {
        await using var server = await TandemServer.StartAsync(settings: NoAllowances);
        using var api = await server.AdminClientAsync();

        foreach (var (url, reason) in new[]
                 {
                     ("https://localhost:8443/hook", "loopback"),
                     ("https://127.0.0.1/hook", "loopback"),
                     ("https://[::ffff:127.0.0.1]/hook", "loopback"),
                     ("https://10.0.0.7/hook", "private"),
                     ("https://169.254.169.254/latest/meta-data/", "metadata"),
                     ("http://hooks.example.com/hook", "https only"),
                 })
        {
            var response = await api.PostAsJsonAsync("/api/v1/webhooks", new { name = "x", url }, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.ProblemAsync();
            Assert.Contains(reason, problem.GetProperty("errors").GetProperty("url")[0].GetString());
        }
        Assert.Empty(await api.GetJsonAsync("/api/v1/webhooks") is { ValueKind: JsonValueKind.Array } list ? list.EnumerateArray().ToList() : []);
    }

    [Fact]
    public async Task Each_delivery_is_checked_again_so_a_subscription_whose_host_now_resolves_to_loopback_reaches_nothing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await TandemServer.StartAsync(settings: NoAllowances);
        // As if the name resolved to a public address when the subscription was made, and resolves to loopback now.
        await AddSubscriptionAsync(server.Database, receiver.Url);

        await NotifyAsync(server.Database);
        await server.Database.UntilEveryDeliverySettledAsync();

        Assert.Empty(receiver.Requests);
        using var reader = server.Client(await server.CreateKeyAsync(Scopes.Read));
        var delivery = (await reader.GetJsonAsync("/api/v1/notifications/deliveries"))[0];
        Assert.Equal("failed", delivery.GetProperty("status").GetString());
        Assert.Contains("loopback", delivery.GetProperty("lastError").GetString());
    }

    [Fact]
    public async Task Redirects_are_not_followed_and_a_receivers_words_never_reach_the_delivery_log()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var target = await WebhookReceiver.StartAsync();
        await using var odd = await OddReceiver.StartAsync(target.Url);
        using var garbled = GarbledReceiver.Start();
        await using var server = await TandemServer.StartAsync(settings: OneAttempt);
        using var admin = await server.AdminClientAsync();
        foreach (var url in new[] { odd.Url("/redirect"), odd.Url("/fail"), garbled.Url })
            (await admin.PostAsJsonAsync("/api/v1/webhooks", new { name = "odd", url }, ct)).EnsureSuccessStatusCode();

        await NotifyAsync(server.Database);
        await server.Database.UntilEveryDeliverySettledAsync();

        Assert.Empty(target.Requests);
        using var reader = server.Client(await server.CreateKeyAsync(Scopes.Read));
        var log = await reader.GetJsonAsync("/api/v1/notifications/deliveries");
        Assert.Equal(3, log.GetArrayLength());
        Assert.All(log.EnumerateArray(), d => Assert.Equal("failed", d.GetProperty("status").GetString()));
        var errors = log.EnumerateArray().ToDictionary(d => d.GetProperty("recipient").GetString()!, d => d.GetProperty("lastError").GetString()!);
        Assert.Contains("307, a redirect", errors[odd.Url("/redirect")]);
        Assert.Equal("The receiver answered 500.", errors[odd.Url("/fail")]);
        Assert.Equal("The receiver's answer was not valid HTTP.", errors[garbled.Url]);
        Assert.DoesNotContain("SECRET", log.GetRawText());
    }

    private static Task AddSubscriptionAsync(Database db, string url) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(
            "INSERT INTO webhook_subscriptions (name, url, secret, events, created_at) VALUES ('old', @url, 'whsec_0123456789abcdef', '[\"*\"]', 0)",
            new { url }, tx), TestContext.Current.CancellationToken);

    private static Task NotifyAsync(Database db) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(
            "INSERT INTO notifications (event, person_id, user_id, payload, created_at) VALUES ('lead.assigned', NULL, NULL, '{\"note\":\"test\"}', @now)",
            new { now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, tx), TestContext.Current.CancellationToken);

    /// <summary>A receiver that redirects, or fails with a reason phrase and body that must not be repeated.</summary>
    private sealed class OddReceiver : IAsyncDisposable
    {
        private readonly WebApplication app;
        private readonly string baseUrl;

        private OddReceiver(WebApplication app, string baseUrl) { this.app = app; this.baseUrl = baseUrl; }

        public string Url(string path) => baseUrl + path;

        public static async Task<OddReceiver> StartAsync(string redirectTo)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            app.MapPost("/redirect", () => Results.Redirect(redirectTo, preserveMethod: true));
            app.MapPost("/fail", async (HttpContext http) =>
            {
                http.Response.StatusCode = 500;
                http.Features.Get<IHttpResponseFeature>()!.ReasonPhrase = "SECRET reason from the receiver";
                await http.Response.WriteAsync("SECRET body: stack trace, connection strings…");
            });
            await app.StartAsync();
            return new OddReceiver(app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>A receiver whose answer is not HTTP: .NET's own error would quote the line it could not read.</summary>
    private sealed class GarbledReceiver : IDisposable
    {
        private readonly TcpListener listener;
        private readonly CancellationTokenSource stop = new();

        private GarbledReceiver(TcpListener listener) => this.listener = listener;

        public string Url => $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/hook";

        public static GarbledReceiver Start()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var self = new GarbledReceiver(listener);
            _ = Task.Run(async () =>
            {
                while (!self.stop.IsCancellationRequested)
                {
                    using var client = await listener.AcceptTcpClientAsync(self.stop.Token);
                    var stream = client.GetStream();
                    _ = await stream.ReadAsync(new byte[8192], self.stop.Token); // the request, unread: the answer is garbled anyway
                    await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nSECRET header line without a colon\r\n\r\n"), self.stop.Token);
                }
            });
            return self;
        }

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
            stop.Dispose();
        }
    }
}
