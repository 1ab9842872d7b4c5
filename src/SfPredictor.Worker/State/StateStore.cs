using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace SfPredictor.Worker.State;

/// <summary>An Opportunity waiting to be written again after a failure.</summary>
/// <param name="Id">The Opportunity Id.</param>
/// <param name="Attempts">How many runs failed to write it so far.</param>
/// <param name="ErrorCode">The last error code.</param>
public sealed record PendingRetry(string Id, int Attempts, string? ErrorCode);

/// <summary>The Opportunities a run wrote, and the stamps and time around those writes.</summary>
/// <param name="Since">The watermark when the run finished writing.</param>
/// <param name="LastStamp">The latest Opportunity SystemModstamp right after the writes (Salesforce's clock).</param>
/// <param name="WrittenAt">When the last write returned (the worker's clock).</param>
/// <param name="Ids">The Opportunities written.</param>
public sealed record WrittenByRun(DateTimeOffset Since, DateTimeOffset LastStamp, DateTimeOffset WrittenAt, IReadOnlySet<string> Ids);

/// <summary>
/// The little state the worker keeps between runs, in the job store's database (SQLite or PostgreSQL):
/// watermarks, the Opportunities to retry, and the reports of recent runs. The same SQL runs on both.
/// </summary>
public sealed class StateStore : IScoringState
{
    private const int RunsKept = 200;
    private const string WrittenSince = "written-since";
    private const string WrittenAt = "written-at";
    private const string WrittenLastStamp = "written-last-stamp";

    private readonly JobStoreOptions _options;
    private readonly DbProviderFactory _factory;
    private readonly SemaphoreSlim _created = new(1, 1);
    private bool _isCreated;

    /// <summary>Creates a store over the configured database; tables are created on first use.</summary>
    public StateStore(IOptions<JobStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _factory = _options.Provider == JobStoreProvider.PostgreSQL ? NpgsqlFactory.Instance : SqliteFactory.Instance;
    }

    /// <summary>The watermark of <paramref name="name"/>, or null before the first completed run.</summary>
    public async Task<DateTimeOffset?> GetWatermarkAsync(string name, CancellationToken cancellationToken = default)
    {
        var value = await ScalarAsync("SELECT value FROM sfp_watermark WHERE name = @name", cancellationToken, ("name", name));
        return value is string text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null;
    }

    /// <summary>Sets the watermark of <paramref name="name"/>.</summary>
    public Task SetWatermarkAsync(string name, DateTimeOffset value, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            "INSERT INTO sfp_watermark (name, value) VALUES (@name, @value) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            cancellationToken,
            ("name", name),
            ("value", Format(value)));

    /// <summary>Removes the watermark of <paramref name="name"/>.</summary>
    public Task DeleteWatermarkAsync(string name, CancellationToken cancellationToken = default) =>
        ExecuteAsync("DELETE FROM sfp_watermark WHERE name = @name", cancellationToken, ("name", name));

    /// <summary>The replay id after which the change event subscription of <paramref name="topic"/> resumes; null before the first handled batch.</summary>
    public async Task<byte[]?> GetReplayIdAsync(string topic, CancellationToken cancellationToken = default) =>
        await ScalarAsync("SELECT replay_id FROM sfp_replay WHERE topic = @topic", cancellationToken, ("topic", topic)) is string text
            ? Convert.FromBase64String(text)
            : null;

    /// <summary>Keeps the replay id of the last handled change event of <paramref name="topic"/>.</summary>
    public Task SetReplayIdAsync(string topic, ReadOnlyMemory<byte> replayId, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            "INSERT INTO sfp_replay (topic, replay_id) VALUES (@topic, @replay) ON CONFLICT (topic) DO UPDATE SET replay_id = excluded.replay_id",
            cancellationToken,
            ("topic", topic),
            ("replay", Convert.ToBase64String(replayId.Span)));

    /// <summary>Forgets where <paramref name="topic"/>'s subscription was (its replay id is no longer retained).</summary>
    public Task DeleteReplayIdAsync(string topic, CancellationToken cancellationToken = default) =>
        ExecuteAsync("DELETE FROM sfp_replay WHERE topic = @topic", cancellationToken, ("topic", topic));

    /// <summary>
    /// Remembers what a run wrote, so that the next run can move the watermark past those writes once they are
    /// safely in the past (see <c>ScoringRun</c>). Replaces what an earlier run left.
    /// </summary>
    public async Task SaveWrittenAsync(WrittenByRun written, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(written);
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        async Task ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
        {
            await using var command = Command(connection, sql, parameters);
            command.Transaction = transaction;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await ExecuteAsync("DELETE FROM sfp_written");
        foreach (var id in written.Ids)
        {
            await ExecuteAsync("INSERT INTO sfp_written (id) VALUES (@id)", ("id", id));
        }

        foreach (var (name, value) in new[] { (WrittenSince, written.Since), (WrittenLastStamp, written.LastStamp), (WrittenAt, written.WrittenAt) })
        {
            await ExecuteAsync(
                "INSERT INTO sfp_watermark (name, value) VALUES (@name, @value) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                ("name", name),
                ("value", Format(value)));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>What the previous run wrote, or null when it wrote nothing or it was already taken.</summary>
    public async Task<WrittenByRun?> GetWrittenAsync(CancellationToken cancellationToken = default)
    {
        if (await GetWatermarkAsync(WrittenSince, cancellationToken) is not { } since
            || await GetWatermarkAsync(WrittenLastStamp, cancellationToken) is not { } last
            || await GetWatermarkAsync(WrittenAt, cancellationToken) is not { } at)
        {
            return null;
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT id FROM sfp_written");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new HashSet<string>(SfPredictor.Records.SalesforceId.Comparer);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return new WrittenByRun(since, last, at, ids);
    }

    /// <summary>Forgets what the previous run wrote.</summary>
    public async Task ClearWrittenAsync(CancellationToken cancellationToken = default)
    {
        foreach (var name in new[] { WrittenSince, WrittenLastStamp, WrittenAt })
        {
            await DeleteWatermarkAsync(name, cancellationToken);
        }

        await ExecuteAsync("DELETE FROM sfp_written", cancellationToken);
    }

    /// <summary>Every Opportunity waiting to be retried.</summary>
    public async Task<IReadOnlyList<PendingRetry>> GetRetriesAsync(CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT id, attempts, error_code FROM sfp_retry ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<PendingRetry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new PendingRetry(reader.GetString(0), Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }

        return result;
    }

    /// <summary>Puts failed Opportunities on the retry list (or counts one more attempt) and takes written ones off it, in one transaction.</summary>
    public async Task UpdateRetriesAsync(IReadOnlyCollection<RecordFailure> failed, IReadOnlyCollection<string> succeeded, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failed);
        ArgumentNullException.ThrowIfNull(succeeded);
        if (failed.Count == 0 && succeeded.Count == 0)
        {
            return;
        }

        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var failure in failed)
        {
            await using var command = Command(
                connection,
                "INSERT INTO sfp_retry (id, attempts, error_code, message, updated) VALUES (@id, 1, @code, @message, @updated) " +
                "ON CONFLICT (id) DO UPDATE SET attempts = sfp_retry.attempts + 1, error_code = excluded.error_code, message = excluded.message, updated = excluded.updated",
                ("id", failure.Id),
                ("code", failure.ErrorCode),
                ("message", failure.Message),
                ("updated", Format(now)));
            command.Transaction = transaction;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var id in succeeded)
        {
            await using var command = Command(connection, "DELETE FROM sfp_retry WHERE id = @id", ("id", id));
            command.Transaction = transaction;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Keeps a run's report (the latest <c>200</c> are kept).</summary>
    public async Task SaveRunAsync(RunReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        await ExecuteAsync(
            "INSERT INTO sfp_run (run_id, job, started, report) VALUES (@id, @job, @started, @report) " +
            "ON CONFLICT (run_id) DO UPDATE SET report = excluded.report",
            cancellationToken,
            ("id", report.RunId),
            ("job", report.Job),
            ("started", Format(report.Started)),
            ("report", report.ToJson()));
        await ExecuteAsync(
            string.Create(CultureInfo.InvariantCulture, $"DELETE FROM sfp_run WHERE run_id NOT IN (SELECT run_id FROM sfp_run ORDER BY started DESC LIMIT {RunsKept})"),
            cancellationToken);
    }

    /// <summary>The latest runs, newest first, optionally of one job only.</summary>
    public async Task<IReadOnlyList<RunReport>> GetRunsAsync(int count, string? job = null, CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        var sql = string.Create(
            CultureInfo.InvariantCulture,
            $"SELECT report FROM sfp_run{(job is null ? string.Empty : " WHERE job = @job")} ORDER BY started DESC LIMIT {Math.Max(1, count)}");
        await using var command = job is null ? Command(connection, sql) : Command(connection, sql, ("job", job));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<RunReport>();
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(RunReport.FromJson(reader.GetString(0)));
        }

        return result;
    }

    /// <summary>Creates the tables when missing (safe to call from several workers at once).</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        if (_isCreated)
        {
            return;
        }

        await _created.WaitAsync(cancellationToken);
        try
        {
            if (_isCreated)
            {
                return;
            }

            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

            // PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against itself running at the same moment in
            // another worker; a transaction-scoped advisory lock makes the second wait and then find the tables.
            var statements = _options.Provider == JobStoreProvider.PostgreSQL ? ["SELECT pg_advisory_xact_lock(4242001)", .. Schema] : Schema;
            foreach (var sql in statements)
            {
                await using var command = Command(connection, sql);
                command.Transaction = transaction;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            _isCreated = true;
        }
        finally
        {
            _created.Release();
        }
    }

    /// <summary>Creates the folder of a SQLite database file, so a fresh container or clone can start.</summary>
    internal static void EnsureSqliteFolder(string connectionString)
    {
        var source = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(source) || source == ":memory:")
        {
            return;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(source));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
    }

    private static readonly string[] Schema =
    [
        "CREATE TABLE IF NOT EXISTS sfp_watermark (name VARCHAR(100) PRIMARY KEY, value VARCHAR(40) NOT NULL)",
        "CREATE TABLE IF NOT EXISTS sfp_retry (id VARCHAR(18) PRIMARY KEY, attempts INTEGER NOT NULL, error_code VARCHAR(200), message TEXT, updated VARCHAR(40) NOT NULL)",
        "CREATE TABLE IF NOT EXISTS sfp_run (run_id VARCHAR(64) PRIMARY KEY, job VARCHAR(40) NOT NULL, started VARCHAR(40) NOT NULL, report TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS sfp_written (id VARCHAR(18) PRIMARY KEY)",
        "CREATE TABLE IF NOT EXISTS sfp_replay (topic VARCHAR(255) PRIMARY KEY, replay_id VARCHAR(200) NOT NULL)",
    ];

    private async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_options.Provider == JobStoreProvider.Sqlite)
        {
            EnsureSqliteFolder(_options.ConnectionString);
        }

        var connection = _factory.CreateConnection()!;
        connection.ConnectionString = _options.ConnectionString;
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // Every value is a parameter; the SQL text is fixed.
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static string Format(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
