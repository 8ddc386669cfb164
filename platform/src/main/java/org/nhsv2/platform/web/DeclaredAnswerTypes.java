package org.nhsv2.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

import java.util.List;
import java.util.Set;

/**
 * Keeps what the matched route declares it produces where the problem advice can still read it: the dispatcher drops
 * Spring's own record of it ({@link HandlerMapping#PRODUCIBLE_MEDIA_TYPES_ATTRIBUTE}) before any exception is handled.
 * A mapped interceptor, so that every handler mapping applies it, the actuator's on the management port included.
 */
public final class DeclaredAnswerTypes implements HandlerInterceptor {

    private static final String ATTRIBUTE = DeclaredAnswerTypes.class.getName() + ".producible";

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        Object declared = request.getAttribute(HandlerMapping.PRODUCIBLE_MEDIA_TYPES_ATTRIBUTE);
        if (declared != null) {
            request.setAttribute(ATTRIBUTE, declared);
        }
        return true;
    }

    /** The types the route that handled the request declares it produces; none when it declares none. */
    @SuppressWarnings("unchecked")
    public static List<MediaType> of(RequestAttributes request) {
        Object declared = request.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        return declared instanceof Set<?> types ? List.copyOf((Set<MediaType>) types) : List.of();
    }
}
