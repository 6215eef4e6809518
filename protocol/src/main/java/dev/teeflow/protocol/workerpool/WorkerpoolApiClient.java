package dev.teeflow.protocol.workerpool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.protocol.sign.Signatures;
import dev.teeflow.protocol.sign.WorkerpoolChallenge;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.web3j.crypto.ECKeyPair;

/**
 * A workerpool's API as the iExec SDK (v9, {@code task debug}) reads it: Compass maps the workerpool to its API
 * URL, {@code GET /tasks/<taskid>} is the off-chain view of a task, and {@code GET /tasks/<taskid>/logs} gives
 * the app's stdout and stderr to the task's requester, who signs the API's EIP-712 challenge for it.
 */
public final class WorkerpoolApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    private final URI api;

    public WorkerpoolApiClient(URI api) {
        this.api = api;
    }

    public URI url() {
        return api;
    }

    /**
     * The API URL Compass gives for a workerpool ({@code GET <compass>/<chainId>/workerpools/<address>} ->
     * {@code {"apiUrl": ...}}); empty when Compass does not know the workerpool.
     */
    public static Optional<URI> resolve(URI compass, long chainId, String workerpool) {
        HttpResponse<String> res = get(join(compass, "/" + chainId + "/workerpools/" + workerpool), null, "Compass");
        if (res.statusCode() >= 500) {
            throw new WorkerpoolApiException(res.statusCode(), "Compass at " + compass + " answered HTTP " + res.statusCode());
        }
        if (res.statusCode() != 200) {
            return Optional.empty();
        }
        String url = json(res, "Compass").path("apiUrl").asText("");
        return url.isBlank() ? Optional.empty() : Optional.of(URI.create(url));
    }

    /** The off-chain view of a task; empty when the workerpool does not know it. */
    public Optional<TaskView> task(String taskId) {
        HttpResponse<String> res = get(join(api, "/tasks/" + taskId), null, "the workerpool API");
        if (res.statusCode() == 404) {
            return Optional.empty();
        }
        check(res, taskId);
        JsonNode n = json(res, "the workerpool API");
        List<TaskView.Replicate> replicates = new ArrayList<>();
        for (JsonNode r : n.path("replicates")) {
            replicates.add(new TaskView.Replicate(r.path("walletAddress").asText(""), r.path("currentStatus").asText(""),
                    r.hasNonNull("appExitCode") ? r.get("appExitCode").asInt() : null,
                    changes(r.path("statusUpdateList"))));
        }
        return Optional.of(new TaskView(n.path("chainTaskId").asText(taskId), n.path("currentStatus").asText(""),
                changes(n.path("dateStatusList")), replicates));
    }

    /**
     * The app's stdout and stderr on each worker, for the requester whose key signs the challenge; empty when
     * the workerpool has no logs for the task (yet). 403 = the key is not the task's requester's.
     */
    public Optional<List<ComputeLogs>> logs(String taskId, long chainId, ECKeyPair requesterKey) {
        String address = Signatures.addressOf(requesterKey);
        HttpResponse<String> challengeRes = get(join(api, "/tasks/logs/challenge?chainId=" + chainId + "&address="
                + URLEncoder.encode(address, StandardCharsets.UTF_8)), null, "the workerpool API");
        check(challengeRes, taskId);
        JsonNode typed = json(challengeRes, "the workerpool API");
        JsonNode data = typed.has("data") ? typed.get("data") : typed;
        String challenge = data.path("message").path("challenge").asText(null);
        long domainChain = data.path("domain").path("chainId").asLong(chainId);
        if (challenge == null || !"iExec Core".equals(data.path("domain").path("name").asText())) {
            throw new WorkerpoolApiException(challengeRes.statusCode(), "the workerpool API at " + api
                    + " sent a logs challenge in an unexpected format");
        }
        String authorization = WorkerpoolChallenge.authorization(domainChain, challenge, requesterKey);
        HttpResponse<String> res = get(join(api, "/tasks/" + taskId + "/logs"), authorization, "the workerpool API");
        if (res.statusCode() == 404) {
            return Optional.empty();
        }
        if (res.statusCode() == 403) {
            throw new WorkerpoolApiException(403, "the workerpool API at " + api + " shows the logs of task " + taskId
                    + " only to its requester, and " + address + " is not the requester");
        }
        if (res.statusCode() == 401) {
            throw new WorkerpoolApiException(401, "the workerpool API at " + api + " refused the signed challenge of "
                    + address + " for task " + taskId);
        }
        check(res, taskId);
        List<ComputeLogs> out = new ArrayList<>();
        for (JsonNode l : json(res, "the workerpool API").path("computeLogsList")) {
            out.add(new ComputeLogs(l.path("walletAddress").asText(""), l.path("stdout").asText(""),
                    l.path("stderr").asText("")));
        }
        return Optional.of(out);
    }

    private static List<TaskView.StatusChange> changes(JsonNode list) {
        List<TaskView.StatusChange> out = new ArrayList<>();
        for (JsonNode c : list) {
            out.add(new TaskView.StatusChange(c.path("status").asText(""), c.path("date").asText(""),
                    c.hasNonNull("cause") ? c.get("cause").asText() : null));
        }
        return out;
    }

    private void check(HttpResponse<String> res, String taskId) {
        if (res.statusCode() != 200) {
            throw new WorkerpoolApiException(res.statusCode(), "the workerpool API at " + api + " answered HTTP "
                    + res.statusCode() + " for task " + taskId);
        }
    }

    /** Like the SDK's {@code new URL(endpoint, api)}: the endpoint's absolute path replaces the base's path. */
    private static URI join(URI base, String pathAndQuery) {
        return base.resolve(pathAndQuery);
    }

    private static HttpResponse<String> get(URI uri, String authorization, String what) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json").GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new WorkerpoolApiException("cannot reach " + what + " at " + uri.getScheme() + "://" + uri.getAuthority()
                    + " (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkerpoolApiException("interrupted while asking " + what, e);
        }
    }

    private static JsonNode json(HttpResponse<String> res, String what) {
        try {
            return JSON.readTree(res.body());
        } catch (IOException e) {
            throw new WorkerpoolApiException(res.statusCode(), what + " at " + res.uri().getAuthority()
                    + " did not answer JSON");
        }
    }
}
