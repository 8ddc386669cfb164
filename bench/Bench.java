import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark of issue 9 (script/bench starts the servers and databases, then runs this file with
 * {@code java bench/Bench.java}). It starts notification-service and appointment-service from their jars
 * as script/server does (the local profile, the same JVM flags) on ports, databases, a vhost and a Redis
 * key prefix of its own, runs every scenario {@code BENCH_REPS} times, and writes
 * {@code bench/results/latest.json} and {@code bench/results/latest.html}. One file, no dependencies: the
 * load generator is a small HTTP/1.1 client on platform threads ({@link Wire}), psql and pgbench the
 * database's clients.
 */
public class Bench {

    // --- settings (script/bench passes them) ------------------------------------------------------------
    static final Path ROOT = Path.of(env("NHSV2_ROOT", ".")).toAbsolutePath().normalize();
    static final Path OUT = ROOT.resolve("bench/results");
    static final int REPS = Integer.parseInt(env("BENCH_REPS", "3"));
    static final int SECONDS = Integer.parseInt(env("BENCH_SECONDS", "10"));
    static final int WARMUP = Integer.parseInt(env("BENCH_WARMUP_SECONDS", "90"));
    /** After WARMUP, slices of this many seconds while the JIT is still busy, up to WARMUP_MAX in all. */
    static final int WARMUP_SLICE = Integer.parseInt(env("BENCH_WARMUP_SLICE_SECONDS", "15"));
    static final int WARMUP_MAX = Integer.parseInt(env("BENCH_WARMUP_MAX_SECONDS", "300"));
    static final int HISTORY_EVENTS = Integer.parseInt(env("BENCH_HISTORY_EVENTS", "1000000"));
    static final int REPLAY_EVENTS = Integer.parseInt(env("BENCH_REPLAY_EVENTS", "100000"));
    static final String ONLY = env("BENCH_ONLY", "booking,lag,listing,contention,history,replay");
    static final String DB_MAIN = env("BENCH_DB", "nhsv2_bench_appointment");
    static final String DB_HISTORY = env("BENCH_DB_HISTORY", "nhsv2_bench_history");
    static final String DB_NOTIFICATION = env("BENCH_DB_NOTIFICATION", "nhsv2_bench_notification");
    static final String DB_RAW = env("BENCH_DB_RAW", "nhsv2_bench_raw");
    static final String VHOST = env("BENCH_VHOST", "nhsv2_bench");
    static final String CACHE_PREFIX = env("BENCH_CACHE_PREFIX", "nhsv2:bench:appointment:");
    static final String PG_HOST = env("PG_HOST", "127.0.0.1");
    static final String PG_PORT = env("PG_PORT", "5432");
    static final String TOKEN_URL = env("BENCH_TOKEN_URL", "http://localhost:8180/realms/nhsv2/protocol/openid-connect/token");
    static final String REDIS_PORT = env("REDIS_PORT", "6379");
    /** Extra JVM options for appointment-service, e.g. a flight recording: -XX:StartFlightRecording=filename=... */
    static final String SERVICE_JVM_OPTIONS = env("BENCH_SERVICE_JVM_OPTIONS", "");
    /** The same for notification-service, which answers every booking's email on the same two cores. */
    static final String NOTIFICATION_JVM_OPTIONS = env("BENCH_NOTIFICATION_JVM_OPTIONS", "");

    static final String RIVERSIDE = "11111111-1111-4111-8111-111111111111";
    static final String NORTHGATE = "22222222-2222-4222-8222-222222222222";
    static final String BOB = "d0000000-0000-4000-8000-000000000002";
    /** Bookings of the throughput runs spread over this many days, so that each listed day holds a few. */
    static final int DAYS = 1500;
    static final int SLOT_MINUTES = 5;
    static final LocalDate FIRST_DAY = LocalDate.now(ZoneOffset.UTC).plusDays(10);
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static final long CLK_TCK = 100; // Linux USER_HZ, the unit of /proc/<pid>/stat's times

    static final Results results = new Results();

    public static void main(String[] args) throws Exception {
        Files.createDirectories(OUT.resolve("logs"));
        results.info("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        results.info("machine", machine());
        results.info("settings", "reps " + REPS + ", " + SECONDS + " s per timed run, history " + HISTORY_EVENTS
                + " events, replay " + REPLAY_EVENTS + " events");
        // Without autovacuum no table is ever analysed: plans made on empty tables stay (see README).
        results.info("postgres autovacuum", Psql.query(DB_MAIN, "SHOW autovacuum").trim());
        long began = System.nanoTime();
        Service notification = Service.notification();
        Service app = null;
        try {
            notification.start();
            if (want("booking") || want("lag") || want("listing") || want("contention")) {
                app = Service.appointment(DB_MAIN);
                app.start();
                results.add("startup", "start-up, fresh database", "s", app.startupSeconds, Target.none());
                Tokens tokens = new Tokens();
                Slots slots = new Slots();
                book(app, tokens, slots, 8, 300); // warm-up: JIT, pools, caches
                untilTheJitSettles(app, tokens, slots, 8);
                if (want("booking")) {
                    bookingScenario(app, notification, tokens, slots);
                }
                if (want("lag")) {
                    lagScenario(app, tokens, slots);
                }
                if (want("listing")) {
                    listingScenario(app, tokens);
                }
                if (want("contention")) {
                    contentionScenario(app, tokens);
                }
                app.stop();
                app = null;
            }
            if (want("history") || want("replay")) {
                historyAndReplay(notification);
            }
        } finally {
            if (app != null) {
                app.stop();
            }
            notification.stop();
            results.info("load average at the end", machineLoad());
            results.info("elapsed", String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - began) / 1e9));
            results.write();
        }
    }

    static boolean want(String scenario) {
        return Arrays.asList(ONLY.split(",")).contains(scenario);
    }

    // --- scenario 1: booking throughput, latency, CPU, memory, against the raw transaction ---------------

    static void bookingScenario(Service app, Service notification, Tokens tokens, Slots slots) throws Exception {
        Map<Integer, List<Double>> throughput = new TreeMap<>();
        for (int clients : new int[]{1, 4, 16}) {
            for (int rep = 0; rep < REPS; rep++) {
                Run run = timedBooking(app, notification, tokens, slots, clients);
                String id = "booking.c" + clients;
                results.add(id + ".throughput", "bookings/s, " + clients + " client" + (clients > 1 ? "s" : ""),
                        "/s", run.throughput(), clients == 16 ? Target.atLeast(600) : Target.none());
                results.add(id + ".p50", "p50, " + clients + " client" + (clients > 1 ? "s" : ""), "ms", run.percentile(0.50), Target.none());
                results.add(id + ".p99", "p99, " + clients + " client" + (clients > 1 ? "s" : ""), "ms", run.percentile(0.99),
                        clients == 16 ? Target.atMost(100) : Target.none());
                throughput.computeIfAbsent(clients, c -> new ArrayList<>()).add(run.throughput());
                if (clients == 16) {
                    results.add("cpu.per-booking", "service CPU per booking, 16 clients, with what it set off", "ms",
                            run.serviceCpuMs / run.ok, Target.atMost(2));
                    results.add("cpu.per-booking.run", "of which during the run", "ms",
                            run.cpuMs.get("appointment-service") / run.ok, Target.none());
                    // Part of the figure above, shown apart: a JIT still compiling is not the booking's own cost.
                    results.add("cpu.per-booking.jit", "of which the JIT compilers (C1, C2 threads)", "ms",
                            run.jitMs / run.ok, Target.none());
                    for (var cpu : run.cpuMs.entrySet()) {
                        results.add("cpu.split." + cpu.getKey(), "CPU during the run: " + cpu.getKey(), "% of 200",
                                100.0 * cpu.getValue() / run.wallMs, Target.none());
                    }
                    results.add("memory.rss", "service RSS under load (max)", "MiB", run.maxRssMiB, Target.atMost(512));
                    results.add("memory.heap", "service heap used under load", "MiB", run.heapMiB, Target.none());
                    for (var work : run.dbWorkPerBooking.entrySet()) {
                        results.add("db." + work.getKey().replace(' ', '.'), "per booking: " + work.getKey(), "",
                                work.getValue(), Target.none());
                    }
                    results.add("db.gaps", "open gaps per processor token (sampled every 2 s)", "",
                            run.gapsPerToken, Target.none());
                    results.add("booking.statuses", "not 201 (202 = read side later than 2 s)", "",
                            run.count - run.status201, Target.atMost(0).inEveryRun());
                }
            }
        }
        results.series("booking-vs-clients", throughput);
        // The raw booking-shaped transaction on the same PostgreSQL, in the same window.
        Raw.prepare();
        List<Double> bookings16 = throughput.get(16);
        for (int rep = 0; rep < REPS; rep++) {
            double tps = Raw.pgbench(16);
            results.add("raw.tps", "raw booking-shaped transactions/s, pgbench 16 clients", "/s", tps, Target.none());
            results.add("ratio", "bookings/s ÷ raw transactions/s (16 clients)", "", bookings16.get(rep) / tps,
                    Target.atLeast(0.12));
        }
    }

    /** Books distinct slots for SECONDS with {@code clients} closed-loop clients; CPU and memory alongside. */
    static Run timedBooking(Service app, Service notification, Tokens tokens, Slots slots, int clients) throws Exception {
        awaitCaughtUp(app);
        Psql.checkpoint(app.database);
        Map<String, Long> workBefore = clients == 16 ? Psql.work(app.database) : Map.of();
        Map<String, Long> before = cpuTicks(app, notification);
        long jitBefore = Proc.jitTicks(app.pid());
        Sampler sampler = new Sampler(app);
        sampler.start();
        long deadline = System.nanoTime() + SECONDS * 1_000_000_000L;
        Run run = Load.closedLoop(clients, deadline, worker -> book(app, tokens.get(worker % 2 == 0 ? "alice.doctor"
                : "carol.doctor"), RIVERSIDE, null, slots.next(), SLOT_MINUTES));
        sampler.stop();
        run.behind = Psql.query(app.database, """
                SELECT string_agg(processor_name || ' ' || (%s - %s), ', ' ORDER BY processor_name)
                FROM token_entry""".formatted(HEAD, TOKEN_INDEX)).trim();
        Map<String, Long> after = cpuTicks(app, notification);
        after.forEach((name, ticks) -> run.cpuMs.put(name, (ticks - before.get(name)) * 1000.0 / CLK_TCK));
        run.maxRssMiB = sampler.maxRssMiB;
        run.heapMiB = sampler.heapMiB;
        // What the run's bookings set off and the processors had not done yet (the saga's emails and deadlines,
        // the answers coming back) is part of their cost: counted until every processor has caught up.
        awaitCaughtUp(app);
        run.serviceCpuMs = (Proc.cpuTicks(app.pid()) - before.get("appointment-service")) * 1000.0 / CLK_TCK;
        run.jitMs = (Proc.jitTicks(app.pid()) - jitBefore) * 1000.0 / CLK_TCK;
        if (clients == 16) {
            Psql.work(app.database).forEach((what, count) -> {
                long done = count - workBefore.getOrDefault(what, 0L);
                if (done > 0) {
                    run.dbWorkPerBooking.put(what, (double) done / run.ok);
                }
            });
            run.gapsPerToken = (double) sampler.gaps / Math.max(1, sampler.tokensSampled);
            System.out.printf(Locale.ROOT, "  database work per booking: %s; gaps per token during the run: %.2f%n",
                    run.dbWorkPerBooking, run.gapsPerToken);
        }
        System.out.printf(Locale.ROOT, "  booking, %2d clients: %6.1f/s  p50 %6.1f ms  p99 %6.1f ms  statuses %s  cpu %s"
                        + "; events behind at the end: %s; service CPU with the catch-up %.0f ms (JIT %.0f)%n", clients,
                run.throughput(), run.percentile(0.5), run.percentile(0.99), run.statuses, run.cpuMs, run.behind,
                run.serviceCpuMs, run.jitMs);
        return run;
    }

    /** The store's newest event, and a processor's position in {@code token_entry}, as SQL expressions. */
    static final String HEAD = "(SELECT coalesce(max(global_index), 0) FROM domain_event_entry)";
    static final String TOKEN_INDEX = "coalesce((convert_from(token, 'UTF8')::json->>'index')::bigint, 0)";

    /**
     * Waits (up to two minutes) until what earlier bookings set off is done: every processor's token at the newest
     * event, and no new event for two seconds (the emails' answers come back as commands). Otherwise a timed run would
     * also pay for the warm-up's or the last run's backlog.
     */
    static void awaitCaughtUp(Service app) throws InterruptedException {
        long began = System.nanoTime();
        long deadline = began + 120_000_000_000L;
        String last = "";
        int quiet = 0;
        while (System.nanoTime() < deadline) {
            String state = Psql.query(app.database, """
                    SELECT %1$s || ' ' || (SELECT bool_and(%2$s >= %1$s) FROM token_entry)""".formatted(HEAD, TOKEN_INDEX))
                    .trim();
            quiet = state.equals(last) && state.endsWith(" true") ? quiet + 1 : 0;
            if (quiet >= 4) {
                System.out.printf(Locale.ROOT, "  caught up in %.1f s%n", (System.nanoTime() - began) / 1e9);
                return;
            }
            last = state;
            Thread.sleep(500);
        }
        System.out.println("  (the service had not caught up after 2 minutes; measuring anyway)");
    }

    static Map<String, Long> cpuTicks(Service app, Service notification) {
        Map<String, Long> ticks = new LinkedHashMap<>();
        ticks.put("appointment-service", Proc.cpuTicks(app.pid()));
        ticks.put("notification-service", Proc.cpuTicks(notification.pid()));
        ticks.put("load generator", Proc.cpuTicks(ProcessHandle.current().pid()));
        ticks.put("PostgreSQL", Proc.cpuTicksOf("postgres"));
        // Everything else on the machine (Keycloak, RabbitMQ, Redis, other people's work): the noise.
        ticks.put("other processes", Proc.machineBusyTicks() - ticks.values().stream().mapToLong(Long::longValue).sum());
        return ticks;
    }

    /**
     * The warm-up, not measured: at least {@code count} bookings and WARMUP seconds at {@code clients}, so
     * that the JIT has compiled the booking path (a JVM just started spends a core compiling for a minute).
     */
    static void book(Service app, Tokens tokens, Slots slots, int clients, int count) throws Exception {
        book(app, tokens, slots, clients, count, WARMUP);
    }

    /** {@code count} bookings, and more until {@code seconds} have passed. */
    static void book(Service app, Tokens tokens, Slots slots, int clients, int count, int seconds) throws Exception {
        AtomicInteger left = new AtomicInteger(count);
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        Run run = Load.closedLoop(clients, Long.MAX_VALUE, worker -> left.getAndDecrement() > 0
                || System.nanoTime() < until
                ? book(app, tokens.get("alice.doctor"), RIVERSIDE, null, slots.next(), SLOT_MINUTES) : Load.STOP);
        System.out.printf(Locale.ROOT, "  warm-up: %d bookings at %d clients, %.0f/s, statuses %s%n", run.count,
                clients, run.throughput(), run.statuses);
        if (run.status201 == 0) {
            throw new IllegalStateException("no booking succeeded in the warm-up: " + run.statuses
                    + " (see " + app.log + ")");
        }
    }

    /**
     * More warm-up, in slices of {@code WARMUP_SLICE} seconds, while the JIT compiler threads still take more than
     * a tenth of the service's CPU (C2 keeps compiling Spring's and Axon's deep call paths for minutes on two
     * cores); at most {@code WARMUP_MAX} seconds in all. The timed runs then measure the service, not its start.
     */
    static void untilTheJitSettles(Service app, Tokens tokens, Slots slots, int clients) throws Exception {
        long cap = System.nanoTime() + Math.max(0, WARMUP_MAX - WARMUP) * 1_000_000_000L;
        while (true) {
            long cpuBefore = Proc.cpuTicks(app.pid());
            long jitBefore = Proc.jitTicks(app.pid());
            long until = System.nanoTime() + WARMUP_SLICE * 1_000_000_000L;
            Run run = Load.closedLoop(clients, until, worker -> book(app, tokens.get("alice.doctor"), RIVERSIDE, null,
                    slots.next(), SLOT_MINUTES));
            double jit = Proc.jitTicks(app.pid()) - jitBefore;
            double share = jit / Math.max(1, Proc.cpuTicks(app.pid()) - cpuBefore);
            System.out.printf(Locale.ROOT, "  warm-up slice: %d bookings, %.0f/s; the JIT took %.0f %% of the service's"
                    + " CPU%n", run.count, run.throughput(), share * 100);
            if (share <= 0.10 || System.nanoTime() > cap) {
                return;
            }
        }
    }

    static Response book(Service app, String token, String facility, String doctor, Instant start, int minutes) {
        String body = """
                {"facilityId":"%s",%s"patientId":"%s","patientName":"Bench Patient","patientEmail":"bench@example.test",\
                "start":"%s","durationMinutes":%d,"reason":"Benchmark booking"}""".formatted(facility,
                doctor == null ? "" : "\"doctorId\":\"" + doctor + "\",", UUID.randomUUID(), start, minutes);
        return Wire.exchange(app.port, "POST", "/api/appointments", token, UUID.randomUUID().toString(), body);
    }

    /** Distinct slots: booking k on day k mod DAYS, at 5-minute step k / DAYS of it (UTC). */
    static final class Slots {
        private final AtomicLong next = new AtomicLong();

        Instant next() {
            long k = next.getAndIncrement();
            if (k / DAYS >= 24 * 60 / SLOT_MINUTES) {
                throw new IllegalStateException("out of distinct slots");
            }
            return day(k % DAYS).plus(Duration.ofMinutes(SLOT_MINUTES * (k / DAYS)));
        }

        static Instant day(long index) {
            return FIRST_DAY.plusDays(index).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
    }

    // --- scenario 2: projection lag at a steady 100 bookings/s -------------------------------------------

    static void lagScenario(Service app, Tokens tokens, Slots slots) throws Exception {
        int rate = 100;
        for (int rep = 0; rep < REPS; rep++) {
            Psql.checkpoint(app.database);
            String token = tokens.get("alice.doctor");
            int total = rate * SECONDS;
            Map<String, Long> answeredMicros = new ConcurrentHashMap<>();
            AtomicInteger late = new AtomicInteger();
            Run run = Load.openLoop(rate, total, () -> {
                Response response = book(app, token, RIVERSIDE, null, slots.next(), SLOT_MINUTES);
                if (response.status == 202) {
                    late.incrementAndGet();
                }
                if (response.status == 201 && response.location != null) {
                    answeredMicros.put(response.location.substring(response.location.lastIndexOf('/') + 1),
                            micros(Instant.now()));
                }
                return response;
            });
            // The event's own time (set in the command handler, before its commit) against the moment the
            // client had the 201, which the service sends only once its view shows the appointment.
            Map<String, Long> eventMicros = Psql.eventTimes(app.database, answeredMicros.keySet());
            List<Double> lags = new ArrayList<>();
            answeredMicros.forEach((id, answered) -> {
                Long event = eventMicros.get(id);
                if (event != null) {
                    lags.add((answered - event) / 1000.0);
                }
            });
            double[] sorted = lags.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            results.add("lag.rate", "achieved booking rate (target rate 100/s)", "/s", run.throughput(), Target.none());
            results.add("lag.p50", "projection lag p50 at 100/s (event time → client has the 201)", "ms",
                    Stats.percentile(sorted, 0.5), Target.none());
            results.add("lag.p99", "projection lag p99 at 100/s", "ms", Stats.percentile(sorted, 0.99),
                    Target.atMost(100));
            results.add("lag.late", "bookings answered 202 (view later than 2 s) at 100/s", "", late.get(),
                    Target.atMost(0).inEveryRun());
            results.add("lag.post-p99", "POST latency p99 at 100/s", "ms", run.percentile(0.99), Target.none());
            System.out.printf(Locale.ROOT, "  lag at %d/s: %.1f/s achieved, lag p50 %.1f ms p99 %.1f ms (%d matched), statuses %s%n",
                    rate, run.throughput(), Stats.percentile(sorted, 0.5), Stats.percentile(sorted, 0.99),
                    sorted.length, run.statuses);
        }
    }

    static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000;
    }

    // --- scenario 3: facility-day listing, cached and uncached ------------------------------------------

    static void listingScenario(Service app, Tokens tokens) throws Exception {
        int clients = 4;
        String token = tokens.get("alice.doctor");
        LocalDate cachedDay = FIRST_DAY.plusDays(7);
        List<Double> cached = new ArrayList<>();
        List<Double> uncached = new ArrayList<>();
        for (int rep = 0; rep < REPS; rep++) {
            // The listing alone: a warm-up's emails and answers still being handled took a fifth of the CPU.
            awaitCaughtUp(app);
            // Uncached: every request a different day, each read for the first time since the cache was
            // emptied (the cache's miss path: Redis asked, the database read, the day stored).
            Redis.deletePattern(CACHE_PREFIX + "facility-day:*");
            AtomicInteger nextDay = new AtomicInteger();
            CpuShare missCpu = CpuShare.start(app);
            Run miss = Load.closedLoop(clients, System.nanoTime() + SECONDS * 1_000_000_000L, worker -> {
                int day = nextDay.getAndIncrement();
                return day < DAYS ? listing(app, token, FIRST_DAY.plusDays(day)) : Load.STOP;
            });
            missCpu.stop(miss);
            listing(app, token, cachedDay); // stored once; every later read of it is a hit
            CpuShare hitCpu = CpuShare.start(app);
            Run hit = Load.closedLoop(clients, System.nanoTime() + SECONDS * 1_000_000_000L,
                    worker -> listing(app, token, cachedDay));
            hitCpu.stop(hit);
            results.add("listing.cached.throughput", "facility-day listing, cached, 4 clients", "/s", hit.throughput(),
                    Target.none());
            results.add("listing.cached.p99", "facility-day listing p99, cached", "ms", hit.percentile(0.99),
                    Target.atMost(5));
            results.add("listing.uncached.throughput", "facility-day listing, uncached (a new day each)", "/s",
                    miss.throughput(), Target.none());
            results.add("listing.uncached.p99", "facility-day listing p99, uncached", "ms", miss.percentile(0.99),
                    Target.none());
            results.add("listing.ratio", "cached ÷ uncached throughput", "×", hit.throughput() / miss.throughput(),
                    Target.atLeast(5));
            results.add("listing.cached.cpu", "service CPU per cached listing", "ms", hitCpu.serviceMsPerRequest,
                    Target.none());
            results.add("listing.cached.generator", "load generator CPU per cached listing", "ms",
                    hitCpu.generatorMsPerRequest, Target.none());
            results.add("listing.cached.postgres", "PostgreSQL CPU per cached listing", "ms",
                    hitCpu.postgresMsPerRequest, Target.none());
            results.add("listing.cached.busy", "machine busy during the cached listing run", "% of 200",
                    hitCpu.machineBusyPercent, Target.none());
            results.add("listing.uncached.cpu", "service CPU per uncached listing", "ms", missCpu.serviceMsPerRequest,
                    Target.none());
            cached.add(hit.throughput());
            uncached.add(miss.throughput());
            System.out.printf(Locale.ROOT, "  listing: cached %.0f/s p99 %.1f ms %s, CPU per request: service %.2f ms,"
                            + " load generator %.2f ms, PostgreSQL %.2f ms, machine %.0f %% of 200 busy; uncached %.0f/s"
                            + " p99 %.1f ms %s, service CPU %.2f ms each (%d days)%n",
                    hit.throughput(), hit.percentile(0.99), hit.statuses, hitCpu.serviceMsPerRequest,
                    hitCpu.generatorMsPerRequest, hitCpu.postgresMsPerRequest, hitCpu.machineBusyPercent,
                    miss.throughput(), miss.percentile(0.99), miss.statuses, missCpu.serviceMsPerRequest, miss.count);
        }
    }

    /**
     * CPU per request over one timed run: the service's, the load generator's and PostgreSQL's, and the whole
     * machine's busy share (the rest of it is Redis, RabbitMQ, Keycloak and anybody else's work).
     */
    static final class CpuShare {
        private final long pid;
        private final long serviceBefore;
        private final long generatorBefore;
        private final long postgresBefore;
        private final long machineBefore;
        private final long began = System.nanoTime();
        double serviceMsPerRequest;
        double generatorMsPerRequest;
        double postgresMsPerRequest;
        double machineBusyPercent;

        private CpuShare(long pid) {
            this.pid = pid;
            this.serviceBefore = Proc.cpuTicks(pid);
            this.generatorBefore = Proc.cpuTicks(ProcessHandle.current().pid());
            this.postgresBefore = Proc.cpuTicksOf("postgres");
            this.machineBefore = Proc.machineBusyTicks();
        }

        static CpuShare start(Service app) {
            return new CpuShare(app.pid());
        }

        void stop(Run run) {
            double seconds = (System.nanoTime() - began) / 1e9;
            double requests = Math.max(1, run.count);
            serviceMsPerRequest = (Proc.cpuTicks(pid) - serviceBefore) * 1000.0 / CLK_TCK / requests;
            generatorMsPerRequest = (Proc.cpuTicks(ProcessHandle.current().pid()) - generatorBefore) * 1000.0 / CLK_TCK
                    / requests;
            postgresMsPerRequest = (Proc.cpuTicksOf("postgres") - postgresBefore) * 1000.0 / CLK_TCK / requests;
            machineBusyPercent = (Proc.machineBusyTicks() - machineBefore) * 100.0 / CLK_TCK / seconds;
        }
    }

    static Response listing(Service app, String token, LocalDate day) {
        return Wire.exchange(app.port, "GET", "/api/facilities/" + RIVERSIDE + "/appointments?from=" + day + "&to=" + day,
                token, null, null);
    }

    // --- scenario 4: contention -------------------------------------------------------------------------

    static void contentionScenario(Service app, Tokens tokens) throws Exception {
        int clients = 16;
        int slots = 100;
        for (int rep = 0; rep < REPS; rep++) {
            // bob.doctor's hours on days past the throughput runs' ones; every client tries each hour, at
            // its own minute in it (0..15) for 30 minutes, so all 16 attempts overlap and one may win.
            Instant first = Slots.day(DAYS + 10 + rep * 10L);
            String token = tokens.get("bob.doctor");
            AtomicIntegerArray winners = new AtomicIntegerArray(slots);
            int[] position = new int[clients];
            Run run = Load.closedLoop(clients, Long.MAX_VALUE, worker -> {
                int slot = position[worker]++;
                if (slot >= slots) {
                    return Load.STOP;
                }
                Response response = book(app, token, NORTHGATE, null,
                        first.plus(Duration.ofHours(slot)).plus(Duration.ofMinutes(worker)), 30);
                if (response.status == 201 || response.status == 202) {
                    winners.incrementAndGet(slot);
                }
                return response;
            });
            int exactlyOne = 0;
            for (int slot = 0; slot < slots; slot++) {
                exactlyOne += winners.get(slot) == 1 ? 1 : 0;
            }
            Map<Long, Long> claims = Psql.claimsPerHour(app.database, BOB, first, first.plus(Duration.ofHours(slots)));
            long dbExactlyOne = claims.values().stream().filter(c -> c == 1).count();
            boolean ok = exactlyOne == slots && dbExactlyOne == slots && claims.size() == slots
                    && run.statuses.keySet().stream().allMatch(s -> s == 201 || s == 202 || s == 409);
            results.add("contention.decisions", "contention: decisions/s (16 clients, 100 slots × 16 tries)", "/s",
                    run.throughput(), Target.none());
            results.add("contention.one-winner", "slots with exactly one 201 (answers and slot_claim)", "of 100",
                    Math.min(exactlyOne, dbExactlyOne), Target.atLeast(slots).inEveryRun());
            results.add("contention.errors", "contention: answers neither 201/202 nor 409 (500: deadlock)", "",
                    run.count - run.ok, Target.atMost(0).inEveryRun());
            results.add("contention.p99", "contention: p99 of a decision", "ms", run.percentile(0.99), Target.none());
            System.out.printf(Locale.ROOT, "  contention: %.0f decisions/s, statuses %s, one winner: %d by answers, %d in slot_claim (%d hours claimed) %s%n",
                    run.throughput(), run.statuses, exactlyOne, dbExactlyOne, claims.size(), ok ? "ok" : "FAILED");
        }
    }

    // --- scenarios 5 and 6: a long history, and a replay -------------------------------------------------

    static void historyAndReplay(Service notification) throws Exception {
        String db = DB_HISTORY;
        Service app = Service.appointment(db);
        Tokens tokens = new Tokens();
        Slots slots = new Slots();
        try {
            app.start();
            results.add("startup", "start-up, fresh database", "s", app.startupSeconds, Target.none());
            // Real events, the templates of the stored history; the answers to their emails are in before it stops,
            // or they would come in during the next start's runs (a replay took them for thousands of commands).
            book(app, tokens, slots, 8, 300, 0);
            awaitCaughtUp(app);
            app.stop();
            if (want("history")) {
                history(app, notification, tokens, slots);
            }
            if (want("replay")) {
                History.seed(db, HISTORY_EVENTS);
                History.tokensToHead(db);
                for (int rep = 0; rep < REPS; rep++) {
                    double rate = History.replay(app, REPLAY_EVENTS);
                    results.add("replay", "replay into a fresh appointment_view", "events/s", rate,
                            Target.atLeast(5000));
                }
            }
        } finally {
            app.stop();
        }
    }

    /**
     * Booking at 16 clients with 10,000 and with {@code HISTORY_EVENTS} stored. Each JVM's warm-up adds its own
     * bookings, so the store holds more than that when the timed runs start: the count is printed and recorded.
     */
    static void history(Service app, Service notification, Tokens tokens, Slots slots) throws Exception {
        String db = app.database;
        Map<Integer, List<Double>> series = new TreeMap<>();
        List<Double> small = new ArrayList<>();
        for (int stored : new int[]{10_000, HISTORY_EVENTS}) {
            long seeded = History.seed(db, stored);
            History.tokensToHead(db);
            app.start();
            results.add("startup.history", "start-up with the history stored", "s", app.startupSeconds,
                    Target.none());
            book(app, tokens, slots, 8, 200);
            untilTheJitSettles(app, tokens, slots, 8);
            String label = stored >= 1_000_000 ? String.format(Locale.ROOT, "%.0fM", stored / 1e6)
                    : String.format(Locale.ROOT, "%.0fk", stored / 1e3);
            long atStart = Psql.eventCount(db);
            System.out.printf("  history: %d events stored (%d generated), %d once warmed up%n", stored, seeded,
                    atStart);
            results.add("history.stored." + label, "events stored when the " + label + " runs began", "", atStart,
                    Target.none());
            for (int rep = 0; rep < REPS; rep++) {
                Run run = timedBooking(app, notification, tokens, slots, 16);
                results.add("history." + label, "bookings/s, 16 clients, " + label + " events stored", "/s",
                        run.throughput(), Target.none());
                results.add("history.pkey." + label, "scans of the event table's key per booking, " + label, "",
                        run.dbWorkPerBooking.getOrDefault("scans by index domain_event_entry_pkey", 0.0), Target.none());
                results.add("history.gaps." + label, "open gaps per processor token, " + label, "",
                        run.gapsPerToken, Target.none());
                results.add("history.read." + label, "blocks read outside shared buffers per booking, " + label, "",
                        run.dbWorkPerBooking.getOrDefault("blocks read outside shared buffers", 0.0), Target.none());
                if (stored == 10_000) {
                    small.add(run.throughput());
                } else {
                    results.add("history.ratio", "bookings/s at " + label + " ÷ at 10k events", "",
                            run.throughput() / small.get(rep), Target.atLeast(0.9));
                }
                series.computeIfAbsent(stored, s -> new ArrayList<>()).add(run.throughput());
            }
            app.stop();
        }
        results.series("booking-vs-history", series);
    }

    static final class History {

        /** Adds copies of real booking events, each its own appointment, until the store holds {@code total}. */
        static long seed(String db, long total) {
            long have = Psql.eventCount(db);
            long missing = total - have;
            if (missing <= 0) {
                return 0;
            }
            long began = System.nanoTime();
            // Each copy is an AppointmentBookedEvent of a new aggregate (the payload's appointmentId replaced),
            // in chunks so that progress shows; sealed fields stay as they were (nothing opens them here).
            long done = 0;
            while (done < missing) {
                long chunk = Math.min(200_000, missing - done);
                Psql.run(db, """
                        INSERT INTO domain_event_entry (global_index, sequence_number, meta_data, payload,
                            aggregate_identifier, event_identifier, payload_revision, payload_type, time_stamp, type)
                        SELECT nextval('domain_event_entry_global_index_seq'), 0, t.meta_data,
                               convert_to(replace(convert_from(t.payload, 'UTF8'), t.aggregate_identifier, n.id), 'UTF8'),
                               n.id, gen_random_uuid()::text, t.payload_revision, t.payload_type, t.time_stamp, t.type
                        FROM (SELECT * FROM domain_event_entry WHERE payload_type LIKE '%%AppointmentBookedEvent'
                              AND sequence_number = 0 ORDER BY global_index LIMIT 1) t,
                             (SELECT gen_random_uuid()::text AS id FROM generate_series(1, %d)) n""".formatted(chunk));
                done += chunk;
                System.out.printf("  history: %d of %d events generated%n", done, missing);
            }
            // As after a real history: statistics current, nothing left for autovacuum or a checkpoint to do
            // during the measured runs.
            Psql.run(db, "VACUUM (ANALYZE) domain_event_entry");
            Psql.checkpoint(db);
            System.out.printf(Locale.ROOT, "  history: %d events generated in %.0f s%n", missing,
                    (System.nanoTime() - began) / 1e9);
            return missing;
        }

        /** Every processor continues from the newest event: the runs measure booking, not a catch-up. */
        static void tokensToHead(String db) {
            Psql.run(db, """
                    UPDATE token_entry SET token = convert_to(regexp_replace(regexp_replace(convert_from(token, 'UTF8'),
                        '"index":[0-9]+', '"index":' || (SELECT max(global_index) FROM domain_event_entry)),
                        '"gaps":\\[[^]]*\\]', '"gaps":[]'), 'UTF8'), owner = NULL
                    WHERE token IS NOT NULL""");
            // A processor that has not stored a token yet would start from the first event.
            Psql.run(db, """
                    UPDATE token_entry SET token = convert_to('{"index":' || (SELECT max(global_index) FROM domain_event_entry)
                        || ',"gaps":[]}', 'UTF8'), token_type = 'org.axonframework.eventhandling.GapAwareTrackingToken',
                        owner = NULL
                    WHERE token IS NULL""");
            String tokens = Psql.query(db, "SELECT processor_name || ' ' || convert_from(token, 'UTF8') FROM token_entry");
            System.out.println("  tokens: " + tokens.replace('\n', ';'));
        }

        /**
         * The appointment-view processor from {@code events} before the head into an empty view: its token
         * set back, the view truncated, the service started; events/s from its first progress to the head.
         */
        static double replay(Service app, int events) throws Exception {
            String db = app.database;
            long head = Long.parseLong(Psql.query(db, "SELECT max(global_index) FROM domain_event_entry").trim());
            long from = head - events;
            Psql.run(db, "TRUNCATE appointment_view");
            Psql.run(db, """
                    UPDATE token_entry SET token = convert_to(regexp_replace(regexp_replace(convert_from(token, 'UTF8'),
                        '"index":[0-9]+', '"index":%d'), '"gaps":\\[[^]]*\\]', '"gaps":[]'), 'UTF8'), owner = NULL
                    WHERE processor_name = 'appointment-view'""".formatted(from));
            Psql.checkpoint(db);
            // The processor starts before the service reports ready: watch its token from the spawn on.
            ExecutorService starter = Executors.newSingleThreadExecutor();
            Future<?> started = starter.submit(() -> {
                app.start();
                return null;
            });
            starter.shutdown();
            long firstIndex = -1;
            long firstAt = 0;
            long index;
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            do {
                Thread.sleep(200);
                index = tokenIndex(db);
                if (firstIndex < 0 && index > from) {
                    firstIndex = index;
                    firstAt = System.nanoTime();
                }
                if (System.nanoTime() > deadline || started.isDone() && !app.process.isAlive()) {
                    throw new IllegalStateException("replay did not reach the head; see " + app.log);
                }
            } while (index < head);
            started.get();
            double seconds = (System.nanoTime() - firstAt) / 1e9;
            double rate = (head - firstIndex) / seconds;
            long rows = Long.parseLong(Psql.query(db, "SELECT count(*) FROM appointment_view").trim());
            System.out.printf(Locale.ROOT, "  replay: %d events (%d measured) in %.1f s: %.0f events/s; %d rows in appointment_view%n",
                    head - from, head - firstIndex, seconds, rate, rows);
            app.stop();
            return rate;
        }

        static long tokenIndex(String db) {
            String token = Psql.query(db,
                    "SELECT convert_from(token, 'UTF8') FROM token_entry WHERE processor_name = 'appointment-view'");
            Matcher index = Pattern.compile("\"index\":(\\d+)").matcher(token);
            return index.find() ? Long.parseLong(index.group(1)) : -1;
        }
    }

    // --- the raw booking-shaped transaction (pgbench) ----------------------------------------------------

    static final class Raw {
        static Path script;

        static void prepare() throws IOException {
            Psql.run(DB_RAW, """
                    CREATE EXTENSION IF NOT EXISTS btree_gist;
                    DROP TABLE IF EXISTS raw_event, raw_claim;
                    CREATE TABLE raw_event (
                        global_index bigserial PRIMARY KEY, sequence_number bigint NOT NULL, meta_data bytea,
                        payload bytea NOT NULL, aggregate_identifier varchar(255) NOT NULL,
                        event_identifier varchar(255) NOT NULL UNIQUE, payload_type varchar(255) NOT NULL,
                        time_stamp varchar(255) NOT NULL, UNIQUE (aggregate_identifier, sequence_number));
                    CREATE TABLE raw_claim (
                        appointment_id uuid PRIMARY KEY, doctor_id uuid NOT NULL, period tstzrange NOT NULL,
                        EXCLUDE USING gist (doctor_id WITH =, period WITH &&));""");
            // One event-like row with a 1 KB payload and one claim, in one transaction, as a booking commits.
            script = OUT.resolve("logs/raw-booking.sql");
            Files.writeString(script, """
                    \\set doctor random(1, 16)
                    \\set minute random(1, 50000000)
                    BEGIN;
                    INSERT INTO raw_event (sequence_number, meta_data, payload, aggregate_identifier, event_identifier, payload_type, time_stamp)
                      VALUES (0, convert_to('{"actorId":"d0000000-0000-4000-8000-000000000001"}', 'UTF8'),
                              convert_to(repeat(md5(random()::text), 32), 'UTF8'), gen_random_uuid()::text,
                              gen_random_uuid()::text, 'AppointmentBookedEvent', now()::text);
                    INSERT INTO raw_claim (appointment_id, doctor_id, period)
                      VALUES (gen_random_uuid(), ('00000000-0000-4000-8000-' || lpad(:doctor::text, 12, '0'))::uuid,
                              tstzrange(now() + make_interval(mins => :minute), now() + make_interval(mins => :minute) + interval '5 minutes', '[)'))
                      ON CONFLICT DO NOTHING;
                    END;
                    """);
        }

        /** Transactions/s of pgbench at {@code clients} for SECONDS (a rare overlapping claim is skipped). */
        static double pgbench(int clients) throws Exception {
            Psql.checkpoint(DB_RAW);
            String out = Proc.run(List.of("pgbench", "-h", PG_HOST, "-p", PG_PORT, "-U", "postgres", "-n", "-c",
                    String.valueOf(clients), "-j", "2", "-T", String.valueOf(SECONDS), "-f", script.toString(), DB_RAW));
            Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(out);
            if (!tps.find()) {
                throw new IllegalStateException("pgbench said: " + out);
            }
            double value = Double.parseDouble(tps.group(1));
            System.out.printf(Locale.ROOT, "  raw booking-shaped transaction, pgbench %d clients: %.0f tps%n", clients, value);
            return value;
        }
    }

    // --- the services ----------------------------------------------------------------------------------

    static final class Service {
        final String name;
        final String database;
        final Map<String, String> env = new LinkedHashMap<>();
        final int port;
        final int managementPort;
        /** Every process this run started, stopped by a shutdown hook should the run be interrupted. */
        static final List<Process> STARTED = new java.util.concurrent.CopyOnWriteArrayList<>();

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(each -> {
                each.destroy();
                try {
                    if (!each.waitFor(60, TimeUnit.SECONDS)) {
                        each.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    each.destroyForcibly();
                }
            })));
        }

        Process process;
        Path log;
        double startupSeconds;
        int starts;

        Service(String name, String database) {
            this.name = name;
            this.database = database;
            this.port = freePort();
            this.managementPort = freePort();
            env.put("PORT", String.valueOf(port));
            env.put("MANAGEMENT_PORT", String.valueOf(managementPort));
            env.put("NHSV2_RABBITMQ_VHOST", VHOST);
        }

        static Service appointment(String database) {
            Service service = new Service("appointment-service", database);
            service.env.put("NHSV2_APPOINTMENT_DB_URL", "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + database);
            service.env.put("NHSV2_CACHE_PREFIX", CACHE_PREFIX);
            service.env.put("NHSV2_REDIS_ADDRESS", "redis://127.0.0.1:" + REDIS_PORT);
            return service;
        }

        static Service notification() {
            Service service = new Service("notification-service", DB_NOTIFICATION);
            service.env.put("NHSV2_NOTIFICATION_DB_URL", "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + DB_NOTIFICATION);
            return service;
        }

        String url() {
            return "http://localhost:" + port;
        }

        long pid() {
            return process.pid();
        }

        /** As script/server's start_service: the local profile, the same JVM flags; start-up = spawn to ready. */
        void start() throws Exception {
            Path jar = ROOT.resolve(name + "/target/" + name + "-0.1.0-SNAPSHOT.jar");
            log = OUT.resolve("logs/" + name + "-" + database + "-" + (++starts) + ".log");
            List<String> command = new ArrayList<>(List.of("java", "-Xms64m", "-Xmx384m", "-XX:MaxMetaspaceSize=192m",
                    "-XX:+UseSerialGC"));
            String options = name.equals("appointment-service") ? SERVICE_JVM_OPTIONS
                    : name.equals("notification-service") ? NOTIFICATION_JVM_OPTIONS : "";
            if (!options.isBlank()) {
                command.addAll(List.of(options.trim().split("\\s+")));
            }
            command.addAll(List.of("-jar", jar.toString(), "--spring.profiles.active=local"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(env);
            long began = System.nanoTime();
            process = builder.start();
            STARTED.add(process);
            long deadline = began + Duration.ofSeconds(240).toNanos();
            while (!ready()) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited during start; see " + log);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " not ready after 240 s; see " + log);
                }
                Thread.sleep(100);
            }
            startupSeconds = (System.nanoTime() - began) / 1e9;
            System.out.printf(Locale.ROOT, "%s (%s): ready on %s in %.1f s (pid %d, log %s)%n", name, database, url(),
                    startupSeconds, process.pid(), ROOT.relativize(log));
        }

        boolean ready() {
            try {
                HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                        + managementPort + "/actuator/health/readiness")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                return health.statusCode() == 200 && health.body().contains("\"UP\"");
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /** SIGTERM, a graceful stop (tokens released); SIGKILL after a minute. */
        void stop() throws InterruptedException {
            if (process == null || !process.isAlive()) {
                return;
            }
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }

        /** Heap in use, from the service's Prometheus endpoint on its management port. */
        double heapMiB() {
            try {
                String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort
                        + "/actuator/prometheus")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                Matcher used = Pattern.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\} ([0-9.E+]+)")
                        .matcher(body);
                double bytes = 0;
                while (used.find()) {
                    bytes += Double.parseDouble(used.group(1));
                }
                return bytes / (1 << 20);
            } catch (IOException e) {
                return Double.NaN;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Double.NaN;
            }
        }

        static int freePort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** RSS every half second, heap once in the middle of a run. */
    static final class Sampler {
        final Service app;
        volatile boolean running = true;
        volatile double maxRssMiB;
        volatile double heapMiB = Double.NaN;
        /** Gaps in the processors' tokens, summed over the samples, and the tokens sampled. */
        volatile long gaps;
        volatile long tokensSampled;
        Thread thread;

        Sampler(Service app) {
            this.app = app;
        }

        void start() {
            long began = System.nanoTime();
            thread = new Thread(() -> {
                long ticks = 0;
                while (running) {
                    maxRssMiB = Math.max(maxRssMiB, Proc.rssMiB(app.pid()));
                    // A poll asks for its token's gaps by IN (…): each one is a probe of the event table's key.
                    // Every 2 s: each sample is a psql process and a PostgreSQL backend, CPU the run shares.
                    if (ticks++ % 4 == 0) {
                        String[] gapsAndTokens;
                        try {
                            gapsAndTokens = Psql.query(app.database, """
                                    SELECT coalesce(sum(json_array_length(convert_from(token, 'UTF8')::json -> 'gaps')), 0)
                                           || ' ' || count(*) FROM token_entry WHERE token IS NOT NULL""").trim().split(" ");
                        } catch (IllegalStateException e) {
                            if (!running) {
                                return; // stopped while psql answered: the run's samples are taken
                            }
                            throw e;
                        }
                        if (gapsAndTokens.length == 2) {
                            gaps += Long.parseLong(gapsAndTokens[0]);
                            tokensSampled += Long.parseLong(gapsAndTokens[1]);
                        }
                    }
                    if (Double.isNaN(heapMiB) && System.nanoTime() - began > SECONDS * 500_000_000L) {
                        heapMiB = app.heapMiB();
                    }
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join();
        }
    }

    // --- load generation -------------------------------------------------------------------------------

    record Response(int status, String location) {
    }

    /** One timed run: statuses, latencies, and what was measured around it. */
    static final class Run {
        final Map<Integer, Integer> statuses = new TreeMap<>();
        double[] latenciesMs;
        int count;
        int ok;
        int status201;
        double wallMs;
        final Map<String, Double> cpuMs = new LinkedHashMap<>();
        double maxRssMiB;
        double heapMiB;
        double jitMs;
        /** The service's CPU from the run's start until every processor had caught up after it. */
        double serviceCpuMs;
        /** How many events each processor's token was behind the store's head when the run ended. */
        String behind = "";
        /** Transactions and table scans per successful booking (16 clients only). */
        final Map<String, Double> dbWorkPerBooking = new TreeMap<>();
        double gapsPerToken;

        double throughput() {
            return ok / (wallMs / 1000);
        }

        double percentile(double q) {
            return Stats.percentile(latenciesMs, q);
        }
    }

    /**
     * The load's HTTP/1.1 client: one kept-alive connection per load thread, each request written as one
     * buffer of bytes and the answer read back for its status and {@code Location} (its body, by
     * {@code Content-Length} or chunked, read and dropped). The JDK's HttpClient, the load generator before it,
     * took 0.52 ms of CPU per booking at 16 clients (its selector thread, futures, header maps and URI parsing),
     * a sixth of the machine, CPU that the issue wants left to what is measured; this takes 0.12 ms.
     * A request that finds its kept-alive connection closed (a restarted service, an idle timeout) before any
     * answer came is sent once more on a new one: every booking carries its {@code Idempotency-Key}, and
     * the listing only reads.
     */
    static final class Wire {
        private static final ThreadLocal<Wire> CONNECTION = new ThreadLocal<>();
        private static final int TIMEOUT_MS = 30_000;

        private final int port;
        private final java.net.Socket socket;
        private final java.io.BufferedInputStream in;
        private final java.io.OutputStream out;
        private final StringBuilder line = new StringBuilder(128);

        private Wire(int port) throws IOException {
            this.port = port;
            socket = new java.net.Socket();
            socket.connect(new java.net.InetSocketAddress("localhost", port), 5_000);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(TIMEOUT_MS);
            in = new java.io.BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = socket.getOutputStream();
        }

        /** {@code idempotencyKey} and {@code json} may be null (a GET). */
        static Response exchange(int port, String method, String target, String token, String idempotencyKey,
                String json) {
            byte[] body = json == null ? null : json.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(1_600).append(method).append(' ').append(target)
                    .append(" HTTP/1.1\r\nHost: localhost:").append(port)
                    .append("\r\nAuthorization: Bearer ").append(token).append("\r\n");
            if (idempotencyKey != null) {
                head.append("Idempotency-Key: ").append(idempotencyKey).append("\r\n");
            }
            if (body != null) {
                head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
            }
            byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
            byte[] request = body == null ? headBytes : Arrays.copyOf(headBytes, headBytes.length + body.length);
            if (body != null) {
                System.arraycopy(body, 0, request, headBytes.length, body.length);
            }
            for (int attempt = 0; ; attempt++) {
                Wire wire = CONNECTION.get();
                boolean reused = wire != null && wire.port == port;
                try {
                    if (!reused) {
                        release();
                        wire = new Wire(port);
                        CONNECTION.set(wire);
                    }
                    Response response = wire.send(request);
                    if (response != null) {
                        return response;
                    }
                    // Closed before an answer began: a kept-alive connection the server had let go.
                    release();
                    if (!reused || attempt > 0) {
                        return new Response(-1, null);
                    }
                } catch (IOException e) {
                    release();
                    return new Response(-1, null);
                }
            }
        }

        /** Closes this thread's connection, if it has one. */
        static void release() {
            Wire wire = CONNECTION.get();
            if (wire != null) {
                CONNECTION.remove();
                try {
                    wire.socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }

        /** The answer, or null when the connection ended before its first byte. */
        private Response send(byte[] request) throws IOException {
            try {
                out.write(request);
                out.flush();
            } catch (java.net.SocketException closed) {
                return null;
            }
            try {
                if (!readLine()) {
                    return null;
                }
            } catch (java.net.SocketException reset) {
                return null;
            }
            if (line.length() < 12 || !line.substring(0, 5).equals("HTTP/")) {
                throw new IOException("not an HTTP answer: " + line);
            }
            int status = Integer.parseInt(line, 9, 12, 10);
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            String location = null;
            while (readLine() && !line.isEmpty()) {
                int colon = line.indexOf(":");
                if (colon < 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                } else if (name.equalsIgnoreCase("Connection")) {
                    close = value.equalsIgnoreCase("close");
                } else if (name.equalsIgnoreCase("Location")) {
                    location = value;
                }
            }
            if (chunked) {
                for (long size; (size = chunkSize()) > 0; ) {
                    skip(size + 2); // the chunk and its CRLF
                }
                while (readLine() && !line.isEmpty()) {
                    // trailers
                }
            } else if (length > 0) {
                skip(length);
            } else if (length < 0 && status != 204 && status != 304 && status >= 200) {
                close = true; // a body that ends with the connection: not sent by this service
            }
            if (close) {
                release();
            }
            return new Response(status, location);
        }

        private long chunkSize() throws IOException {
            if (!readLine()) {
                throw new IOException("connection closed in a chunked body");
            }
            int end = line.indexOf(";");
            return Long.parseLong(line, 0, end < 0 ? line.length() : end, 16);
        }

        private void skip(long count) throws IOException {
            while (count > 0) {
                long skipped = in.skip(count);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed in a body");
                    }
                    skipped = 1;
                }
                count -= skipped;
            }
        }

        /** The next line without its CRLF in {@code line}; false at the end of the stream before any byte. */
        private boolean readLine() throws IOException {
            line.setLength(0);
            for (int b; (b = in.read()) >= 0; ) {
                if (b == '\n') {
                    int last = line.length() - 1;
                    if (last >= 0 && line.charAt(last) == '\r') {
                        line.setLength(last);
                    }
                    return true;
                }
                line.append((char) b);
            }
            if (line.length() > 0) {
                throw new IOException("connection closed in a line");
            }
            return false;
        }
    }

    static final class Load {
        static final Response STOP = new Response(-2, null);

        interface Request {
            Response send(int worker) throws Exception;
        }

        /** {@code clients} workers, each sending its next request when the last answered, until the deadline. */
        static Run closedLoop(int clients, long deadlineNanos, Request request) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<List<long[]>>> workers = new ArrayList<>();
            long began = System.nanoTime();
            for (int w = 0; w < clients; w++) {
                int worker = w;
                workers.add(pool.submit(() -> {
                    List<long[]> done = new ArrayList<>();
                    while (System.nanoTime() < deadlineNanos) {
                        long start = System.nanoTime();
                        Response response = request.send(worker);
                        if (response == STOP) {
                            break;
                        }
                        done.add(new long[]{System.nanoTime() - start, response.status});
                    }
                    Wire.release();
                    return done;
                }));
            }
            List<long[]> all = new ArrayList<>();
            for (Future<List<long[]>> worker : workers) {
                all.addAll(worker.get());
            }
            long ended = System.nanoTime();
            pool.shutdown();
            return summarise(all, (ended - began) / 1e6);
        }

        /** {@code total} requests started at a steady {@code rate} per second, whatever the answers' pace. */
        static Run openLoop(int rate, int total, java.util.concurrent.Callable<Response> request) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(64);
            List<Future<long[]>> sent = new ArrayList<>();
            long began = System.nanoTime();
            long interval = 1_000_000_000L / rate;
            for (int i = 0; i < total; i++) {
                long due = began + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                sent.add(pool.submit(() -> {
                    Response response = request.call();
                    // From when it was due, so a stall delays the clock as it would a user.
                    return new long[]{System.nanoTime() - due, response.status};
                }));
            }
            List<long[]> all = new ArrayList<>();
            for (Future<long[]> each : sent) {
                all.add(each.get());
            }
            long ended = System.nanoTime();
            pool.shutdown();
            return summarise(all, (ended - began) / 1e6);
        }

        static Run summarise(List<long[]> all, double wallMs) {
            Run run = new Run();
            run.wallMs = wallMs;
            run.count = all.size();
            run.latenciesMs = all.stream().mapToDouble(each -> each[0] / 1e6).sorted().toArray();
            for (long[] each : all) {
                int status = (int) each[1];
                run.statuses.merge(status, 1, Integer::sum);
                if (status >= 200 && status < 300 || status == 409) {
                    run.ok++;
                }
                if (status == 201) {
                    run.status201++;
                }
            }
            return run;
        }
    }

    static final class Stats {
        static double percentile(double[] sorted, double q) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
            return sorted[Math.max(0, index)];
        }

        static double median(List<Double> values) {
            double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }
    }

    /** Access tokens from Keycloak's password grant (the demo users), fetched once per user. */
    static final class Tokens {
        final Map<String, String> tokens = new ConcurrentHashMap<>();

        String get(String user) {
            return tokens.computeIfAbsent(user, Tokens::fetch);
        }

        static String fetch(String user) {
            String form = "grant_type=password&client_id=nhsv2-cli&username=" + URLEncoder.encode(user,
                    StandardCharsets.UTF_8) + "&password=fake-local-password";
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(TOKEN_URL))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
                Matcher token = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
                if (response.statusCode() != 200 || !token.find()) {
                    throw new IllegalStateException("no token for " + user + " from Keycloak: " + response.body());
                }
                return token.group(1);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("Keycloak at " + TOKEN_URL + " does not answer", e);
            }
        }
    }

    // --- processes, /proc, psql, redis-cli -----------------------------------------------------------------

    static final class Proc {
        /** utime + stime of a process, all its threads, in clock ticks. */
        static long cpuTicks(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields 14 and 15 of proc(5)
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        /** utime + stime of a process's JIT compiler threads (C1 and C2), in clock ticks. */
        static long jitTicks(long pid) {
            return threadTicks(pid, "C1 CompilerThre", "C2 CompilerThre");
        }

        /** utime + stime of a process's threads whose name begins with one of {@code names}, in clock ticks. */
        static long threadTicks(long pid, String... names) {
            long sum = 0;
            try (var threads = Files.list(Path.of("/proc/" + pid + "/task"))) {
                for (Path thread : (Iterable<Path>) threads::iterator) {
                    try {
                        String comm = Files.readString(thread.resolve("comm")).trim();
                        if (Arrays.stream(names).anyMatch(comm::startsWith)) {
                            String stat = Files.readString(thread.resolve("stat"));
                            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                            sum += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                        }
                    } catch (IOException ignored) {
                        // the thread ended meanwhile
                    }
                }
            } catch (IOException | RuntimeException e) {
                return 0;
            }
            return sum;
        }

        /** Busy time of every core since boot (user, nice, system, irq, softirq, steal) from /proc/stat. */
        static long machineBusyTicks() {
            try {
                String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                return Long.parseLong(cpu[1]) + Long.parseLong(cpu[2]) + Long.parseLong(cpu[3]) + Long.parseLong(cpu[6])
                        + Long.parseLong(cpu[7]) + Long.parseLong(cpu[8]);
            } catch (IOException e) {
                return 0;
            }
        }

        /** The sum over every live process with this command name (PostgreSQL's postmaster and backends). */
        static long cpuTicksOf(String comm) {
            long sum = 0;
            try (var procs = Files.list(Path.of("/proc"))) {
                for (Path proc : (Iterable<Path>) procs::iterator) {
                    String name = proc.getFileName().toString();
                    if (name.chars().allMatch(Character::isDigit)) {
                        try {
                            if (Files.readString(proc.resolve("comm")).trim().equals(comm)) {
                                sum += cpuTicks(Long.parseLong(name));
                            }
                        } catch (IOException ignored) {
                            // gone meanwhile
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return sum;
        }

        static double rssMiB(long pid) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                    }
                }
            } catch (IOException ignored) {
                // gone
            }
            return 0;
        }

        static String run(List<String> command) {
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (process.waitFor() != 0) {
                    throw new IllegalStateException(String.join(" ", command).substring(0, Math.min(200,
                            String.join(" ", command).length())) + " failed: " + out);
                }
                return out;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static final class Psql {
        static String query(String db, String sql) {
            return Proc.run(List.of("psql", "-h", PG_HOST, "-p", PG_PORT, "-U", "postgres", "-d", db, "-X", "-q", "-A",
                    "-t", "-v", "ON_ERROR_STOP=1", "-c", sql));
        }

        static void run(String db, String sql) {
            query(db, sql);
        }

        static void checkpoint(String db) {
            run(db, "CHECKPOINT");
        }

        /**
         * The database's transactions, each table's scans (index and sequential; partitions counted with
         * their table), the event table's scans per index, the blocks it read from outside PostgreSQL's
         * buffers, and the server's WAL so far. A backend reports its counts at most once a second and an idle one within
         * ten, so this first waits out that delay: the figures include everything done before the call.
         */
        static Map<String, Long> work(String db) {
            try {
                Thread.sleep(11_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Map<String, Long> work = new TreeMap<>();
            String out = query(db, """
                    SELECT 'transactions', xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()
                    UNION ALL
                    SELECT 'scans ' || coalesce(parent.relname, t.relname), sum(coalesce(t.idx_scan, 0) + t.seq_scan)
                    FROM pg_stat_user_tables t
                    LEFT JOIN pg_inherits i ON i.inhrelid = t.relid LEFT JOIN pg_class parent ON parent.oid = i.inhparent
                    GROUP BY 1
                    UNION ALL
                    SELECT 'scans by index ' || indexrelname, idx_scan FROM pg_stat_user_indexes
                    WHERE relname = 'domain_event_entry'
                    UNION ALL
                    SELECT 'blocks read outside shared buffers', blks_read FROM pg_stat_database
                    WHERE datname = current_database()
                    UNION ALL
                    SELECT 'WAL bytes (whole server)', wal_bytes::bigint FROM pg_stat_wal
                    UNION ALL
                    SELECT 'WAL full-page images (whole server)', wal_fpi FROM pg_stat_wal""");
            for (String line : out.split("\n")) {
                String[] parts = line.trim().split("\\|");
                if (parts.length == 2) {
                    work.put(parts[0], Long.parseLong(parts[1]));
                }
            }
            return work;
        }

        static long eventCount(String db) {
            return Long.parseLong(query(db, "SELECT count(*) FROM domain_event_entry").trim());
        }

        static Map<String, Long> eventTimes(String db, java.util.Collection<String> ids) {
            Map<String, Long> times = new HashMap<>();
            if (ids.isEmpty()) {
                return times;
            }
            String list = String.join("','", ids);
            String out = query(db, "SELECT aggregate_identifier || ' ' || time_stamp FROM domain_event_entry "
                    + "WHERE sequence_number = 0 AND aggregate_identifier IN ('" + list + "')");
            for (String line : out.split("\n")) {
                String[] parts = line.trim().split(" ");
                if (parts.length == 2) {
                    times.put(parts[0], micros(Instant.parse(parts[1])));
                }
            }
            return times;
        }

        /** slot_claim rows of a doctor per hour from {@code from}: the contention runs' slots. */
        static Map<Long, Long> claimsPerHour(String db, String doctor, Instant from, Instant to) {
            String out = query(db, """
                    SELECT hour || ' ' || count(*) FROM (
                      SELECT floor(extract(epoch FROM lower(period) - '%1$s'::timestamptz) / 3600)::bigint AS hour
                      FROM slot_claim WHERE doctor_id = '%2$s' AND period && tstzrange('%1$s', '%3$s')) claims
                    GROUP BY hour""".formatted(from, doctor, to));
            Map<Long, Long> perHour = new TreeMap<>();
            for (String line : out.split("\n")) {
                String[] parts = line.trim().split(" ");
                if (parts.length == 2) {
                    perHour.put(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
                }
            }
            return perHour;
        }
    }

    static final class Redis {
        static void deletePattern(String pattern) {
            Proc.run(List.of("bash", "-c", "redis-cli -p " + REDIS_PORT + " --scan --pattern '" + pattern
                    + "' | xargs -r -n 500 redis-cli -p " + REDIS_PORT + " del >/dev/null"));
        }
    }

    static String machine() {
        String cpu = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 2)).orElse("?");
        } catch (IOException ignored) {
            // not Linux
        }
        String load = "?";
        try {
            load = Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException ignored) {
            // not Linux
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB max heap of the generator; load average "
                + load + " at start; service, PostgreSQL, Keycloak, RabbitMQ, Redis and the generator on one machine";
    }

    static String machineLoad() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    // --- results: table, JSON, HTML -----------------------------------------------------------------------

    /** A target on the median, or (a correctness figure: {@code everyRun}) on each run. */
    record Target(String op, double value, boolean everyRun) {
        static Target none() {
            return new Target("", Double.NaN, false);
        }

        static Target atLeast(double value) {
            return new Target("≥", value, false);
        }

        static Target atMost(double value) {
            return new Target("≤", value, false);
        }

        Target inEveryRun() {
            return new Target(op, value, true);
        }

        boolean exists() {
            return !op.isEmpty();
        }

        boolean met(double median) {
            return op.equals("≥") ? median >= value : median <= value;
        }
    }

    static final class Figure {
        final String id;
        final String label;
        final String unit;
        final Target target;
        final List<Double> values = new ArrayList<>();

        Figure(String id, String label, String unit, Target target) {
            this.id = id;
            this.label = label;
            this.unit = unit;
            this.target = target;
        }

        double median() {
            return Stats.median(values);
        }

        double min() {
            return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }

        double max() {
            return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }

        boolean met() {
            return target.everyRun() ? values.stream().allMatch(target::met) : target.met(median());
        }

        String verdict() {
            return !target.exists() ? "" : met() ? "met" : "MISSED";
        }
    }

    static final class Results {
        final Map<String, Figure> figures = new LinkedHashMap<>();
        final Map<String, String> info = new LinkedHashMap<>();
        final Map<String, Map<Integer, List<Double>>> series = new LinkedHashMap<>();

        synchronized void add(String id, String label, String unit, double value, Target target) {
            figures.computeIfAbsent(id, key -> new Figure(id, label, unit, target)).values.add(value);
        }

        synchronized void info(String key, String value) {
            info.put(key, value);
        }

        synchronized void series(String name, Map<Integer, List<Double>> values) {
            series.put(name, values);
        }

        void write() throws IOException {
            String table = table();
            System.out.println();
            System.out.println(table);
            Files.writeString(OUT.resolve("latest.json"), json());
            Files.writeString(OUT.resolve("latest.html"), html());
            Files.writeString(OUT.resolve("latest.md"), table + "\n");
            System.out.println("wrote " + ROOT.relativize(OUT.resolve("latest.json")) + ", "
                    + ROOT.relativize(OUT.resolve("latest.html")) + " and " + ROOT.relativize(OUT.resolve("latest.md")));
        }

        String table() {
            StringBuilder out = new StringBuilder();
            out.append("| figure | unit | median | min | max | runs | target | |\n|---|---|---|---|---|---|---|---|\n");
            for (Figure f : figures.values()) {
                out.append("| ").append(f.label).append(" | ").append(f.unit).append(" | ").append(num(f.median()))
                        .append(" | ").append(num(f.min())).append(" | ").append(num(f.max())).append(" | ")
                        .append(f.values.size()).append(" | ")
                        .append(f.target.exists() ? f.target.op() + " " + num(f.target.value()) + (f.target.everyRun() ? " each run" : "") : "").append(" | ")
                        .append(f.verdict()).append(" |\n");
            }
            return out.toString();
        }

        static String num(double value) {
            if (Double.isNaN(value)) {
                return "–";
            }
            double abs = Math.abs(value);
            return abs >= 100 ? String.format(Locale.ROOT, "%,.0f", value)
                    : abs >= 10 ? String.format(Locale.ROOT, "%.1f", value)
                    : String.format(Locale.ROOT, "%.2f", value);
        }

        String json() {
            StringBuilder out = new StringBuilder("{\n");
            info.forEach((k, v) -> out.append("  ").append(quote(k)).append(": ").append(quote(v)).append(",\n"));
            out.append("  \"figures\": [\n");
            int i = 0;
            for (Figure f : figures.values()) {
                out.append("    {\"id\": ").append(quote(f.id)).append(", \"label\": ").append(quote(f.label))
                        .append(", \"unit\": ").append(quote(f.unit)).append(", \"median\": ").append(jnum(f.median()))
                        .append(", \"min\": ").append(jnum(f.min())).append(", \"max\": ").append(jnum(f.max()))
                        .append(", \"runs\": [");
                out.append(String.join(", ", f.values.stream().map(Results::jnum).toList())).append("]");
                if (f.target.exists()) {
                    out.append(", \"target\": {\"op\": ").append(quote(f.target.op().equals("≥") ? ">=" : "<="))
                            .append(", \"value\": ").append(jnum(f.target.value())).append("}, \"met\": ")
                            .append(f.met()).append(", \"every_run\": ").append(f.target.everyRun());
                }
                out.append("}").append(++i < figures.size() ? ",\n" : "\n");
            }
            out.append("  ],\n  \"series\": {");
            int s = 0;
            for (var entry : series.entrySet()) {
                out.append(s++ > 0 ? ", " : "").append(quote(entry.getKey())).append(": {");
                int k = 0;
                for (var point : entry.getValue().entrySet()) {
                    out.append(k++ > 0 ? ", " : "").append(quote(String.valueOf(point.getKey()))).append(": [")
                            .append(String.join(", ", point.getValue().stream().map(Results::jnum).toList())).append("]");
                }
                out.append("}");
            }
            return out.append("}\n}\n").toString();
        }

        static String jnum(double value) {
            return Double.isNaN(value) || Double.isInfinite(value) ? "null" : String.format(Locale.ROOT, "%.3f", value);
        }

        static String quote(String text) {
            return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
        }

        static String escape(String text) {
            return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        }

        /** The table, then per figure its runs against the target (inline SVG), then the two series. */
        String html() {
            StringBuilder out = new StringBuilder("""
                    <!doctype html><html><head><meta charset="utf-8"><title>NHSv2 benchmark</title>
                    <style>body{font:14px system-ui,sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}
                    td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child{text-align:left}
                    .met{color:#070}.missed{color:#b00;font-weight:bold}svg{background:#fafafa}</style></head><body>
                    <h1>NHSv2 benchmark</h1>""");
            info.forEach((k, v) -> out.append("<p><b>").append(escape(k)).append("</b>: ").append(escape(v)).append("</p>"));
            out.append("<table><tr><th>figure</th><th>unit</th><th>median</th><th>min</th><th>max</th><th>runs</th>"
                    + "<th>target</th><th></th><th>runs and target</th></tr>");
            for (Figure f : figures.values()) {
                out.append("<tr><td>").append(escape(f.label)).append("</td><td>").append(escape(f.unit))
                        .append("</td><td>").append(num(f.median())).append("</td><td>").append(num(f.min()))
                        .append("</td><td>").append(num(f.max())).append("</td><td>").append(f.values.size())
                        .append("</td><td>").append(f.target.exists() ? escape(f.target.op()) + " " + num(f.target.value())
                                + (f.target.everyRun() ? " each run" : "") : "")
                        .append("</td><td class=\"").append(f.verdict().equals("met") ? "met" : "missed").append("\">")
                        .append(f.verdict()).append("</td><td>").append(strip(f)).append("</td></tr>\n");
            }
            out.append("</table>");
            for (var entry : series.entrySet()) {
                out.append("<h2>").append(escape(entry.getKey())).append("</h2>").append(bars(entry.getValue()));
            }
            return out.append("</body></html>\n").toString();
        }

        /** A 240×22 strip: min–max line, each run a dot, the median a bar, the target a red tick. */
        static String strip(Figure f) {
            double hi = Math.max(f.max(), f.target.exists() ? f.target.value() : 0) * 1.1;
            if (!(hi > 0)) {
                return "";
            }
            IntUnaryOperator x = v -> 5 + v * 230 / 10_000;
            StringBuilder svg = new StringBuilder("<svg width=\"240\" height=\"22\">");
            svg.append(line(x.applyAsInt(scale(f.min(), hi)), x.applyAsInt(scale(f.max(), hi)), 11, 11, "#888"));
            for (double v : f.values) {
                svg.append("<circle cx=\"").append(x.applyAsInt(scale(v, hi))).append("\" cy=\"11\" r=\"3\" fill=\"#36c\"/>");
            }
            int m = x.applyAsInt(scale(f.median(), hi));
            svg.append(line(m, m, 3, 19, "#000"));
            if (f.target.exists()) {
                int t = x.applyAsInt(scale(f.target.value(), hi));
                svg.append(line(t, t, 0, 22, "#d00"));
            }
            return svg.append("</svg>").toString();
        }

        static int scale(double v, double hi) {
            return (int) Math.round(Math.max(0, v) / hi * 10_000);
        }

        static String line(int x1, int x2, int y1, int y2, String color) {
            return "<line x1=\"" + x1 + "\" x2=\"" + x2 + "\" y1=\"" + y1 + "\" y2=\"" + y2 + "\" stroke=\"" + color
                    + "\" stroke-width=\"2\"/>";
        }

        /** Median bars with min–max whiskers, one per key of the series. */
        static String bars(Map<Integer, List<Double>> series) {
            double hi = series.values().stream().flatMap(List::stream).mapToDouble(Double::doubleValue).max().orElse(1) * 1.15;
            int width = 120 * series.size() + 60;
            StringBuilder svg = new StringBuilder("<svg width=\"" + width + "\" height=\"260\">");
            svg.append(line(50, width - 10, 230, 230, "#000")).append(line(50, 50, 10, 230, "#000"));
            svg.append("<text x=\"5\" y=\"15\" font-size=\"11\">").append(num(hi)).append("</text>");
            int i = 0;
            for (var point : series.entrySet()) {
                int cx = 70 + 120 * i++;
                double med = Stats.median(point.getValue());
                double min = point.getValue().stream().mapToDouble(Double::doubleValue).min().orElse(0);
                double max = point.getValue().stream().mapToDouble(Double::doubleValue).max().orElse(0);
                int y = (int) (230 - med / hi * 220);
                svg.append("<rect x=\"").append(cx).append("\" y=\"").append(y).append("\" width=\"80\" height=\"")
                        .append(230 - y).append("\" fill=\"#69c\"/>");
                int y1 = (int) (230 - min / hi * 220);
                int y2 = (int) (230 - max / hi * 220);
                svg.append(line(cx + 40, cx + 40, y1, y2, "#000"));
                svg.append("<text x=\"").append(cx + 5).append("\" y=\"").append(y - 4).append("\" font-size=\"12\">")
                        .append(num(med)).append("</text>");
                svg.append("<text x=\"").append(cx + 5).append("\" y=\"248\" font-size=\"12\">").append(point.getKey())
                        .append("</text>");
            }
            return svg.append("</svg>").toString();
        }
    }
}
