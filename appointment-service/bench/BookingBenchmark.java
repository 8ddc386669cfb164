import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Books appointments over HTTP against a running service (script/server) and prints throughput
 * and latency. Each POST answers 201 only once the read side has the appointment, so its latency
 * includes the projection's read-after-write lag; a 202 means the lag passed the 2 s bound.
 *
 * Run: script/benchmark [bookings] [concurrency]
 */
public class BookingBenchmark {

    private static final String SERVICE = System.getenv().getOrDefault("NHSV2_URL", "http://localhost:8081");
    private static final String TOKEN_URL = System.getenv().getOrDefault("NHSV2_TOKEN_URL",
            "http://localhost:8180/realms/nhsv2/protocol/openid-connect/token");
    private static final String RIVERSIDE = "11111111-1111-4111-8111-111111111111";
    private static final long SLOT_MINUTES = 5;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        int bookings = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        String token = token("alice.doctor");
        // Distinct 5-minute slots within the five-year booking horizon, at a random place in it so that
        // runs against the same database rarely meet (2000 bookings take 7 of its 1,800 days).
        Instant first = Instant.now().plus(Duration.ofDays(30 + (long) (Math.random() * 1_700))).truncatedTo(ChronoUnit.HOURS);

        warmUp(token, first.minus(Duration.ofDays(2)));
        AtomicInteger next = new AtomicInteger();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long began = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < bookings; i = next.getAndIncrement()) {
                    long start = System.nanoTime();
                    int status = book(token, first.plus(Duration.ofMinutes(SLOT_MINUTES * i)));
                    latencies.add(System.nanoTime() - start);
                    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        pool.shutdown();

        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("bookings: %d, concurrency: %d, elapsed: %.1f s%n", bookings, concurrency, seconds);
        System.out.printf("throughput: %.0f bookings/s%n", bookings / seconds);
        System.out.printf("POST latency incl. read-your-writes (ms): p50 %.1f, p95 %.1f, p99 %.1f, max %.1f%n",
                ms(sorted, 0.50), ms(sorted, 0.95), ms(sorted, 0.99), ms(sorted, 1.0));
        System.out.println("statuses: " + new TreeMap<>(statuses));
        if (statuses.keySet().stream().anyMatch(s -> s != 201 && s != 202)) {
            if (statuses.containsKey(409)) {
                System.out.println("409: an earlier run took some of these slots; run again for a fresh stretch of time");
            }
            System.exit(1);
        }
    }

    private static void warmUp(String token, Instant around) {
        for (int i = 0; i < 300; i++) {
            book(token, around.plus(Duration.ofMinutes(SLOT_MINUTES * i)));
        }
    }

    private static int book(String token, Instant start) {
        String body = """
                {"facilityId":"%s","patientId":"%s","patientName":"Bench Patient","patientEmail":"bench@example.test",
                 "start":"%s","durationMinutes":%d,"reason":"benchmark"}""".formatted(RIVERSIDE, UUID.randomUUID(), start,
                SLOT_MINUTES);
        HttpRequest request = HttpRequest.newBuilder(URI.create(SERVICE + "/api/appointments"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(30)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static double ms(List<Long> sorted, double quantile) {
        int index = (int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    private static String token(String user) throws Exception {
        String form = "grant_type=password&client_id=nhsv2-cli&username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&password=fake-local-password";
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(TOKEN_URL))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher token = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
        if (response.statusCode() != 200 || !token.find()) {
            throw new IllegalStateException("no token from Keycloak (is script/server running?): " + response.body());
        }
        return token.group(1);
    }
}
