package org.nhsv2.gateway.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the gateway's own error answers as {@code application/problem+json}, the shape every service uses
 * (type, title, status, code, detail), so a client cannot tell whether the gateway or a service refused it.
 */
public final class Problems {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {
    }

    public static Mono<Void> write(ServerHttpResponse response, HttpStatus status, String code, String title,
                                   String detail) {
        if (response.isCommitted()) {
            // Part of a service's answer already went out: nothing honest can be added.
            return Mono.empty();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "/problems/" + code);
        body.put("title", title);
        body.put("status", status.value());
        body.put("code", code);
        body.put("detail", detail);
        byte[] bytes = bytes(body);
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getHeaders().setContentLength(bytes.length);
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(bytes)));
    }

    private static byte[] bytes(Map<String, Object> body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            // A map of strings and an int always serialises; keep a valid answer regardless.
            return "{\"code\":\"internal-error\"}".getBytes(StandardCharsets.UTF_8);
        }
    }
}
