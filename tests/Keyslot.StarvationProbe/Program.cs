using System.Diagnostics;
using System.Globalization;
using Keyslot;

// Runs synchronous callers on dedicated threads while every thread-pool thread is blocked, and reports how many
// commands finished within the bound. Modes: "sync" (the client's synchronous commands) and "sync-over-async"
// (blocking on the async commands: the negative control, which needs the pool and so must stall).
// Protocol with the parent: prints READY once connected, waits for one line on stdin (the parent changes the cluster
// meanwhile), then prints one RESULT line of key=value pairs and exits without waiting for stuck threads.
if (args.Length != 5)
{
    Console.Error.WriteLine("usage: <configuration> <sync|sync-over-async> <callers> <commands per caller> <bound seconds>");
    return 2;
}
string configuration = args[0];
bool synchronous = args[1] switch
{
    "sync" => true,
    "sync-over-async" => false,
    _ => throw new ArgumentException($"unknown mode '{args[1]}'"),
};
int callers = int.Parse(args[2], CultureInfo.InvariantCulture);
int perCaller = int.Parse(args[3], CultureInfo.InvariantCulture);
TimeSpan bound = TimeSpan.FromSeconds(int.Parse(args[4], CultureInfo.InvariantCulture));

// Connected on this (non-pool) thread while the pool is still healthy.
ClusterClient client = ClusterClient.ConnectAsync(configuration).GetAwaiter().GetResult();
Console.WriteLine("READY");
Console.ReadLine();

// Starve the pool: the smallest pool the runtime allows, every thread of it parked, checked with a canary.
int size = Environment.ProcessorCount;
bool limited = ThreadPool.SetMinThreads(size, size) & ThreadPool.SetMaxThreads(size, size);
using var release = new ManualResetEventSlim();
for (int i = 0; i < size * 4; i++) ThreadPool.UnsafeQueueUserWorkItem(_ => release.Wait(), null);
using var canary = new ManualResetEventSlim();
ThreadPool.UnsafeQueueUserWorkItem(_ => canary.Set(), null);
bool starved = !canary.Wait(TimeSpan.FromSeconds(1));

int completed = 0, errors = 0;
string? firstError = null;
var threads = new Thread[callers];
var watch = Stopwatch.StartNew();
for (int c = 0; c < callers; c++)
{
    int caller = c;
    threads[c] = new Thread(() =>
    {
        for (int i = 0; i < perCaller; i++)
        {
            // Every fourth key is in the slot the parent moved: those go through a MOVED.
            string key = i % 4 == 0 ? "{probe}:" + caller : "probe:" + caller + ":" + i;
            string value = "v" + i;
            try
            {
                string? read;
                if (synchronous)
                {
                    client.StringSet(key, value);
                    read = client.StringGet(key);
                }
                else
                {
                    client.StringSetAsync(key, value).AsTask().GetAwaiter().GetResult();
                    read = client.StringGetAsync(key).AsTask().GetAwaiter().GetResult();
                }
                if (read != value) throw new InvalidOperationException($"read '{read}' for {key}, expected '{value}'");
                Interlocked.Increment(ref completed);
            }
            catch (Exception ex)
            {
                if (Interlocked.Increment(ref errors) == 1) firstError = ex.GetType().Name + ": " + ex.Message.ReplaceLineEndings(" ");
            }
        }
    }) { IsBackground = true, Name = "caller " + c };
    threads[c].Start();
}
foreach (Thread thread in threads)
{
    TimeSpan left = bound - watch.Elapsed;
    if (left <= TimeSpan.Zero || !thread.Join(left)) break;
}
int done = Volatile.Read(ref completed);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT limited={limited} starved={starved} completed={done} expected={callers * perCaller} errors={Volatile.Read(ref errors)} seconds={watch.Elapsed.TotalSeconds:0.0} firstError={firstError ?? "none"}"));
Console.Out.Flush();
release.Set();
Environment.Exit(0); // stuck callers (the negative control) are not waited for
return 0;
