using System.CommandLine;
using System.Globalization;
using Tandem.Domain.Prediction;
using Tandem.Server.Hosting;
using Tandem.Server.Prediction;
using Tandem.Server.Scoring;
using Tandem.Server.Storage;

namespace Tandem.Server.Cli;

/// <summary>tandem predict train | show: the same use cases as the prediction API.</summary>
internal static class PredictCommands
{
    public static Command Create()
    {
        var folds = new Option<int>("--folds") { Description = "Also report k-fold cross-validated AUC (e.g. 5); 0 skips it.", DefaultValueFactory = _ => 0 };
        var target = new Option<string?>("--target") { Description = "The stage that counts as converting: Customer (default) or SQL." };
        var train = new Command("train", "Train a conversion model, judge it on held-out people beside the rules model, activate it when it beats the active one.")
            { folds, target };
        train.SetAction(async (parse, ct) =>
        {
            var t = parse.GetValue(target);
            if (t is not null && !(Tandem.Domain.Lifecycle.Stages.TryParse(t, out var s) && s is Tandem.Domain.Lifecycle.Stage.Customer or Tandem.Domain.Lifecycle.Stage.SQL))
            {
                Console.Error.WriteLine($"error: --target must be Customer or SQL, not '{t}'.");
                return 1;
            }
            var k = parse.GetValue(folds);
            if (k is < 0 or 1 or > 10) { Console.Error.WriteLine("error: --folds must be 0 or between 2 and 10."); return 1; }
            await using var app = await OpenAsync(parse, ct);
            Console.Error.WriteLine("Training…");
            var outcome = await app.Services.GetRequiredService<TrainPrediction>().RunAsync(new TrainRequest(t, null, null, k), "command line", ct);
            if (!outcome.Trained) { Console.Error.WriteLine(outcome.Verdict); return 1; }
            Console.WriteLine($"conversion model v{outcome.Version}: {outcome.Verdict}");
            Print(outcome.Report!);
            return 0;
        });

        var show = new Command("show", "Show the active conversion model: its holdout figures beside the rules model's and its top features.");
        show.SetAction(async (parse, ct) =>
        {
            await using var app = await OpenAsync(parse, ct);
            var db = app.Services.GetRequiredService<Database>();
            var list = await db.ReadAsync(c => app.Services.GetRequiredService<PredictionModels>().ListAsync(c), ct);
            var active = list.FirstOrDefault(m => m.Active);
            if (active is null)
            {
                Console.Error.WriteLine(list.Count == 0 ? "No conversion model has been trained: run ./tandem predict train." : "No conversion model is active.");
                return 1;
            }
            Console.WriteLine(FormattableString.Invariant(
                $"conversion model v{active.Version} (active since {active.ActivatedAt:yyyy-MM-dd HH:mm} UTC), target {active.TargetStage}, maturation {active.MaturationDays} days"));
            Console.WriteLine(FormattableString.Invariant($"  learned from people created {active.WindowFrom:yyyy-MM-dd} to {active.WindowTo:yyyy-MM-dd}; {active.Verdict}"));
            Print(active.Report);
            foreach (var other in list.Where(m => !m.Active))
                Console.WriteLine(FormattableString.Invariant($"  v{other.Version} ({other.CreatedAt:yyyy-MM-dd}): AUC {other.Report.Holdout.Auc:0.000} — {other.Verdict}"));
            return 0;
        });
        return new Command("predict", "Predictive scoring: learn who converts from the workspace's own history.") { train, show };
    }

    private static void Print(TrainingReport r)
    {
        static string Row(string name, Evaluation e) => FormattableString.Invariant(
            $"  {name,-12} AUC {e.Auc:0.000}   Brier {(e.Brier is { } b ? b.ToString("0.000", CultureInfo.InvariantCulture) : "  —  ")}   top-decile conversion {e.TopDecileRate:P1} (lift {e.TopDecileLift:0.00}×)");
        Console.WriteLine(FormattableString.Invariant(
            $"  outcomes: {r.Positives:N0} converted, {r.Negatives:N0} did not, {r.Open:N0} still open; learned from {r.TrainingPeople:N0}, judged on {r.HoldoutPeople:N0} held out ({(r.TimeOrdered ? "the newest by creation date" : "a fixed fifth; the people have no spread of creation dates")})"));
        Console.WriteLine(FormattableString.Invariant($"  holdout (base rate {r.Holdout.BaseRate:P1}):"));
        Console.WriteLine(Row("model", r.Holdout));
        Console.WriteLine(Row("rules model", r.RulesHoldout));
        if (r.ComparedWithVersion is { } v) Console.WriteLine(FormattableString.Invariant($"  active model v{v} on the same people: AUC {r.ComparedAuc:0.000}"));
        if (r.CrossValidation is { } cv)
            Console.WriteLine(FormattableString.Invariant(
                $"  {cv.Folds}-fold cross-validation: AUC {cv.MeanAuc:0.000} ({string.Join(", ", cv.Auc.Select(a => a.ToString("0.000", CultureInfo.InvariantCulture)))}); rules model {cv.MeanRulesAuc:0.000}"));
        Console.WriteLine("  top features: " + string.Join(", ", r.TopFeatures.Take(8).Select(f => FormattableString.Invariant($"{f.Label} ({f.Importance:0.00})"))));
    }

    private static async Task<WebApplication> OpenAsync(ParseResult parse, CancellationToken ct)
    {
        var app = TandemApp.Build([], TandemCli.Overrides(parse));
        await TandemApp.PrepareDatabaseAsync(app.Services, ct);
        await ScoringModule.EnsureScoringAsync(app.Services, ct);
        return app;
    }
}
