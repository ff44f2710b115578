using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Import;

/// <summary>Intent-named helpers for importing and exporting over the public API.</summary>
public static class ImportApi
{
    public static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "Import", "Samples", name);

    public static async Task<HttpResponseMessage> PostImportAsync(this HttpClient client, byte[] file, string fileName = "people.csv",
        string? preset = null, string? mapping = null, bool dryRun = false)
    {
        using var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(content, "file", fileName);
        if (preset is not null) form.Add(new StringContent(preset), "preset");
        if (mapping is not null) form.Add(new StringContent(mapping), "mapping");
        if (dryRun) form.Add(new StringContent("true"), "dryRun");
        return await client.PostAsync("/api/v1/imports", form);
    }

    /// <summary>Uploads a file and waits for its job to finish; returns the finished job.</summary>
    public static async Task<JsonElement> ImportAsync(this HttpClient client, string path, string? preset = null, string? mapping = null) =>
        await client.ImportBytesAsync(await File.ReadAllBytesAsync(path), Path.GetFileName(path), preset, mapping);

    public static async Task<JsonElement> ImportBytesAsync(this HttpClient client, byte[] file, string fileName = "people.csv", string? preset = null, string? mapping = null)
    {
        var response = await client.PostImportAsync(file, fileName, preset, mapping);
        await response.EnsureSuccessWithBodyAsync();
        var job = await response.Content.ReadFromJsonAsync<JsonElement>();
        return await client.WaitForImportAsync(job.Id());
    }

    public static async Task<JsonElement> WaitForImportAsync(this HttpClient client, long id)
    {
        var deadline = DateTime.UtcNow.AddMinutes(10); // generous: a loaded CI machine imports slowly, a stuck import still fails
        while (true)
        {
            var job = await client.GetJsonAsync($"/api/v1/imports/{id}");
            var status = job.GetProperty("status").GetString();
            if (status is "completed" or "failed") return job;
            if (DateTime.UtcNow > deadline) Assert.Fail($"import {id} is still {status}: {job}");
            await Task.Delay(100);
        }
    }

    public static long Count(this JsonElement job, string name) => job.GetProperty("counts").GetProperty(name).GetInt64();

    public static async Task<List<Dictionary<string, string>>> ExportAsync(this HttpClient client, string query = "")
    {
        var response = await client.GetAsync("/api/v1/people/export" + query);
        await response.EnsureSuccessWithBodyAsync();
        return ParseCsv(await response.Content.ReadAsStringAsync());
    }

    public static List<Dictionary<string, string>> ParseCsv(string text)
    {
        var reader = new Tandem.Server.Import.CsvRecordReader(new StringReader(text), ',');
        var header = reader.Read()!;
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read() is { } cells) rows.Add(header.Select((h, i) => (h, v: i < cells.Length ? cells[i] : "")).ToDictionary(x => x.h, x => x.v));
        return rows;
    }

    /// <summary>The person with this external id, straight from the database.</summary>
    public static Task<long> PersonIdAsync(this Database db, string source, string id) =>
        db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT person_id FROM person_external_ids WHERE source = @source AND external_id = @id", new { source, id }));

    public static Task<long> ScalarAsync(this Database db, string sql, object? args = null) =>
        db.ReadAsync(c => c.ExecuteScalarAsync<long>(sql, args));
}
