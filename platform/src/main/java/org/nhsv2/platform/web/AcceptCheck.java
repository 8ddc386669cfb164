package org.nhsv2.platform.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.MethodParameter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.RequestEntity;
import org.springframework.http.converter.GenericHttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.SmartHttpMessageConverter;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.util.MimeTypeUtils;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.accept.ContentNegotiationManager;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.WebAsyncTask;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.View;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A request is refused (406) before its handler runs when its Accept header admits no type its answer can be
 * written in ({@code application/json; charset=ISO-8859-1}, say: JSON is written in UTF-8 only). Spring negotiates
 * only once the handler has returned: a change was then made, stored and announced, and only its answer refused, so
 * the client would think it failed and try again; and on a route that declares what it produces, Spring calls the
 * same refusal its own failure, "not writable", a 500.
 * <p>
 * The check makes Spring's own choice in advance, as {@code AbstractMessageConverterMethodProcessor} will: the
 * types the Accept header admits, matched with what the route declares it produces (or else what the converters
 * write for the answer's declared type), the most specific match, and a converter that writes it. What it cannot
 * know before the handler returns it leaves to Spring: an answer whose type is declared only as {@code Object}, one
 * no converter writes at all, and error dispatches, whose problem documents are written whatever Accept says. An
 * entity without a body ({@code ResponseEntity<Void>}) needs no type, but Spring matches its Accept header all the
 * same, and fails with a 500 when there are more matches than it sorts (50): that is refused too.
 */
class AcceptCheck implements HandlerInterceptor {

    /** OPTIONS and TRACE are answered with headers, not a body of the handler's. */
    private static final Set<String> NO_BODY = Set.of("OPTIONS", "TRACE");
    /** Matched by a wildcard alone, Spring writes application/octet-stream. */
    private static final List<MediaType> ALL_APPLICATION = List.of(MediaType.ALL, new MediaType("application"));
    /** A problem is written as one whatever the Accept header says, as Spring does. */
    private static final List<MediaType> PROBLEM = List.of(MediaType.APPLICATION_PROBLEM_JSON,
            MediaType.APPLICATION_PROBLEM_XML);
    /** Answers that no converter writes, or whose body is known only once the handler has returned. */
    private static final List<Class<?>> NOT_CONVERTED = List.of(HttpHeaders.class, Callable.class, DeferredResult.class,
            WebAsyncTask.class, ResponseBodyEmitter.class, StreamingResponseBody.class, ModelAndView.class, View.class);

    private final Supplier<RequestMappingHandlerAdapter> adapter;
    private final Supplier<ContentNegotiationManager> negotiation;
    /**
     * Each route's answer, found once: the walk of its declaration was a tenth of this check, and asking every
     * converter what it writes the answer in, on every request, a third of what was left.
     */
    private final Map<Route, Optional<Answer>> answers = new ConcurrentHashMap<>();

    /**
     * Both are singletons made after the interceptors are registered, so they are looked up on first use, and kept:
     * a lookup through the provider on every request cost more than the rest of the check.
     */
    AcceptCheck(ObjectProvider<RequestMappingHandlerAdapter> adapter, ObjectProvider<ContentNegotiationManager> negotiation) {
        this.adapter = SingletonSupplier.of(adapter::getObject);
        this.negotiation = SingletonSupplier.of(() -> negotiation.getIfUnique(ContentNegotiationManager::new));
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws HttpMediaTypeNotAcceptableException {
        if (!(handler instanceof HandlerMethod method) || NO_BODY.contains(request.getMethod())
                || request.getDispatcherType() == DispatcherType.ERROR) {
            return true;
        }
        List<HttpMessageConverter<?>> converters = adapter.get().getMessageConverters();
        Answer answer = answers.computeIfAbsent(new Route(method.getBeanType(), method.getMethod()),
                route -> Optional.ofNullable(bodyOf(method)).map(body -> Answer.of(body, converters))).orElse(null);
        if (answer == null) {
            return true;
        }
        ResolvableType body = answer.body();
        boolean bodiless = body.toClass() == Void.class;
        List<MediaType> acceptable;
        try {
            acceptable = negotiation.get().resolveMediaTypes(new ServletWebRequest(request));
        } catch (HttpMediaTypeNotAcceptableException unreadable) {
            if (bodiless) {
                return true; // Spring reads no further when it has no body to write
            }
            throw unreadable;
        }
        List<MediaType> producible = producible(request, answer);
        List<MediaType> compatible = compatible(acceptable, producible);
        if (compatible.isEmpty() && ProblemDetail.class.isAssignableFrom(body.toClass())) {
            compatible = compatible(PROBLEM, producible);
        }
        try {
            MimeTypeUtils.sortBySpecificity(compatible);
        } catch (InvalidMimeTypeException tooMany) {
            // Spring sorts at most 50 matches, even for an answer without a body, and fails with a 500
            throw new HttpMediaTypeNotAcceptableException("The Accept header names too many types to choose from");
        }
        if (bodiless || !answer.writable()) {
            return true; // no body to write, or nothing writes it whatever the Accept header says
        }
        MediaType selected = selected(compatible);
        if (selected != null && converters.stream().anyMatch(converter -> canWrite(converter, body, selected))) {
            return true;
        }
        throw new HttpMediaTypeNotAcceptableException(producible);
    }

    /**
     * A handler method as its answer type depends on it: the method, and the class it is declared on for MVC. Every
     * request to a handler brings the same {@code Method} object, so equality is asked by identity first (a record's
     * generated equality and hash, asked on every request, were a quarter of this check).
     */
    private static final class Route {

        private final Class<?> beanType;
        private final Method method;
        private final int hash;

        Route(Class<?> beanType, Method method) {
            this.beanType = beanType;
            this.method = method;
            this.hash = 31 * beanType.hashCode() + method.hashCode();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Route route && route.beanType == beanType
                    && (route.method == method || route.method.equals(method));
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /**
     * A route's answer: the declared type of its body, whether any converter writes it, and every type the converters
     * write it in (any, if none does).
     */
    private record Answer(ResolvableType body, boolean writable, List<MediaType> written) {

        static Answer of(ResolvableType body, List<HttpMessageConverter<?>> converters) {
            Set<MediaType> written = new LinkedHashSet<>();
            boolean writable = false;
            for (HttpMessageConverter<?> converter : converters) {
                if (canWrite(converter, body, null)) {
                    writable = true;
                    written.addAll(converter.getSupportedMediaTypes(body.toClass()));
                }
            }
            return new Answer(body, writable, written.isEmpty() ? List.of(MediaType.ALL) : List.copyOf(written));
        }
    }

    /**
     * The declared type of the answer's body ({@code Void} for an entity without one), or null where Spring writes no
     * body with a converter or the declaration does not say what it will be.
     */
    private static ResolvableType bodyOf(HandlerMethod method) {
        MethodParameter returned = method.getReturnType();
        ResolvableType type = ResolvableType.forMethodParameter(returned);
        Class<?> declared = type.toClass();
        boolean entity = HttpEntity.class.isAssignableFrom(declared) && !RequestEntity.class.isAssignableFrom(declared);
        if (entity) {
            type = type.as(HttpEntity.class).getGeneric(0);
        } else if (!returned.hasMethodAnnotation(ResponseBody.class)
                && !AnnotatedElementUtils.hasAnnotation(returned.getContainingClass(), ResponseBody.class)) {
            return null; // a view
        }
        Class<?> body = type.toClass();
        if (body == Object.class || body == void.class || body == Void.class && !entity
                || NOT_CONVERTED.stream().anyMatch(kind -> kind.isAssignableFrom(body))
                || ReactiveAdapterRegistry.getSharedInstance().getAdapter(body) != null) {
            return null;
        }
        // Spring writes any CharSequence as a String
        return CharSequence.class.isAssignableFrom(body) ? ResolvableType.forClass(String.class) : type;
    }

    /** What the route declares it produces, or else every type a converter writes the body in. */
    @SuppressWarnings("unchecked")
    private static List<MediaType> producible(HttpServletRequest request, Answer answer) {
        Set<MediaType> declared = (Set<MediaType>) request.getAttribute(HandlerMapping.PRODUCIBLE_MEDIA_TYPES_ATTRIBUTE);
        return new ArrayList<>(declared != null && !declared.isEmpty() ? declared : answer.written());
    }

    private static List<MediaType> compatible(List<MediaType> acceptable, List<MediaType> producible) {
        List<MediaType> compatible = new ArrayList<>();
        for (MediaType accepted : acceptable) {
            for (MediaType produced : producible) {
                if (accepted.isCompatibleWith(produced)) {
                    MediaType producedAtQuality = produced.copyQualityValue(accepted);
                    compatible.add(accepted.isLessSpecific(producedAtQuality) ? producedAtQuality : accepted);
                }
            }
        }
        return compatible;
    }

    /** The first concrete match once sorted, as Spring picks it (no later match is tried if none writes it). */
    private static MediaType selected(List<MediaType> sorted) {
        for (MediaType type : sorted) {
            if (type.isConcrete()) {
                return type.removeQualityValue();
            }
            if (type.isPresentIn(ALL_APPLICATION)) {
                return MediaType.APPLICATION_OCTET_STREAM;
            }
        }
        return null;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static boolean canWrite(HttpMessageConverter<?> converter, ResolvableType body, MediaType type) {
        if (converter instanceof GenericHttpMessageConverter generic) {
            return generic.canWrite(body.getType(), body.toClass(), type);
        }
        if (converter instanceof SmartHttpMessageConverter smart) {
            return smart.canWrite(body, body.toClass(), type);
        }
        return converter.canWrite(body.toClass(), type);
    }
}
