package org.nhsv2.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.http.HttpMessageConverters;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpEntity;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.accept.HeaderContentNegotiationStrategy;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

import java.util.List;
import java.util.Set;

/**
 * A request that may change something is refused (406) before its handler runs when its Accept header admits no
 * type its answer can be written in ({@code application/json; charset=ISO-8859-1}, say). Spring negotiates only
 * once the handler has returned: the change was made, stored and announced, and only its answer was refused, so
 * the client would think it failed and try again.
 */
class AcceptCheck implements HandlerInterceptor {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final HeaderContentNegotiationStrategy ACCEPT = new HeaderContentNegotiationStrategy();

    private final ObjectProvider<HttpMessageConverters> converters;

    AcceptCheck(ObjectProvider<HttpMessageConverters> converters) {
        this.converters = converters;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws HttpMediaTypeNotAcceptableException {
        if (!(handler instanceof HandlerMethod method) || SAFE.contains(request.getMethod())) {
            return true;
        }
        Class<?> body = bodyOf(method);
        if (body == Void.class || body == void.class) {
            return true; // no body, nothing to negotiate
        }
        List<MediaType> accepted = ACCEPT.resolveMediaTypes(new ServletWebRequest(request));
        for (MediaType type : accepted) {
            for (HttpMessageConverter<?> converter : converters.getObject().getConverters()) {
                if (converter.canWrite(body, type)) {
                    return true;
                }
            }
        }
        throw new HttpMediaTypeNotAcceptableException(List.of(MediaType.APPLICATION_JSON));
    }

    private static Class<?> bodyOf(HandlerMethod method) {
        ResolvableType type = ResolvableType.forMethodParameter(method.getReturnType());
        if (HttpEntity.class.isAssignableFrom(type.toClass())) {
            type = type.as(HttpEntity.class).getGeneric(0);
        }
        return type.toClass();
    }
}
