using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using static Tandem.Tests.Infrastructure.WebWorld;

namespace Tandem.Tests.Import;

/// <summary>Uploads: who may send one is checked first, each part has a size limit, and a failed upload leaves no file.</summary>
public abstract class UploadTests(DatabaseProvider provider)
{
    private static readonly byte[] Csv = Encoding.UTF8.GetBytes("email,first_name\nada@contoso.com,Ada\n");

    private static string[] Uploads(TandemServer server)
    {
        var folder = Path.Combine(server.DataDir, "imports");
        return Directory.Exists(folder) ? Directory.GetFiles(folder) : [];
    }

    [Fact]
    public async Task A_setting_part_over_its_limit_is_refused_and_the_uploaded_file_is_removed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();

        var response = await api.PostImportAsync(Csv, mapping: "{\"columns\":{}}" + new string(' ', 70 * 1024));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ProblemAsync()).GetProperty("errors").TryGetProperty("mapping", out _));
        Assert.Empty(Uploads(server));
        Assert.Equal(0, await server.Database.ReadAsync(c => Dapper.SqlMapper.ExecuteScalarAsync<long>(c, "SELECT COUNT(*) FROM import_jobs"), ct));
    }

    [Fact]
    public async Task A_second_file_part_is_refused_and_no_file_is_kept()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(Csv), "file", "one.csv");
        form.Add(new ByteArrayContent(Csv), "file", "two.csv");

        var response = await api.PostAsync("/api/v1/imports", form, ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ProblemAsync()).GetProperty("errors").TryGetProperty("file", out _));
        Assert.Empty(Uploads(server));
    }

    [Fact]
    public async Task An_upload_cut_off_part_way_leaves_no_partial_file()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var body = new CutOffUpload(() => Uploads(server).Any(f => new FileInfo(f).Length > 0));

        await Assert.ThrowsAnyAsync<Exception>(() => api.PostAsync("/api/v1/imports", body, ct));

        Assert.True(body.ServerWasWriting, "the server had started writing the upload before it was cut off");
        await Poll.UntilAsync(() => Task.FromResult(Uploads(server).Length == 0), "the partial upload is removed");
    }

    [Fact]
    public async Task A_user_who_may_not_import_is_refused_before_the_upload_is_read()
    {
        await using var server = await TandemServer.StartAsync(provider);
        await WebWorld.CreateAsync(server);
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);

        // No antiforgery token: reading the form to look for one would already mean reading the upload.
        var response = await riley.PostWithoutTokenAsync("/imports", new() { ["preset"] = "auto", ["dryRun"] = "true" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    /// <summary>A multipart body that sends its file until the server has begun writing it to disk, then breaks off.</summary>
    private sealed class CutOffUpload : HttpContent
    {
        private const string Boundary = "cut-off-boundary";
        private readonly Func<bool> serverIsWriting;

        public CutOffUpload(Func<bool> serverIsWriting)
        {
            this.serverIsWriting = serverIsWriting;
            Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
        }

        public bool ServerWasWriting { get; private set; }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\nContent-Type: text/csv\r\n\r\nemail,first_name\n"));
            var rows = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 2000).Select(i => $"person{i}@contoso.com,Person\n")));
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!serverIsWriting() && DateTime.UtcNow < deadline)
            {
                await stream.WriteAsync(rows);
                await stream.FlushAsync();
            }
            ServerWasWriting = serverIsWriting();
            throw new IOException("The upload was cut off.");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}

public sealed class UploadTestsOnSqlite() : UploadTests(DatabaseProvider.Sqlite);

public sealed class UploadTestsOnPostgres() : UploadTests(DatabaseProvider.Postgres);
