package org.nhsv2.platform.spring;

import java.lang.annotation.Annotation;
import java.lang.reflect.AccessibleObject;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The annotations by which Spring injects into an object it autowires ({@code @Autowired}, {@code @Value},
 * {@code @Inject}, {@code @Resource}, {@code @PersistenceContext}), for the platform's replacements of Axon's
 * Spring-backed factories, which must know when to leave an object to Spring.
 */
public final class InjectionAnnotations {

    private static final String AUTOWIRED = "org.springframework.beans.factory.annotation.Autowired";
    private static final Set<String> OTHERS = Set.of(
            "org.springframework.beans.factory.annotation.Value",
            "jakarta.inject.Inject", "javax.inject.Inject",
            "jakarta.annotation.Resource", "javax.annotation.Resource",
            "jakarta.persistence.PersistenceContext", "jakarta.persistence.PersistenceUnit");

    private InjectionAnnotations() {
    }

    /** Whether the member is injected by any of them. */
    public static boolean marks(AccessibleObject member) {
        return has(member, true);
    }

    /** Whether the member is injected by any of them but {@code @Autowired}. */
    public static boolean marksOtherThanAutowired(AccessibleObject member) {
        return has(member, false);
    }

    /** Whether any field, method or constructor of the class or of a superclass is injected. */
    public static boolean anyIn(Class<?> type) {
        return membersOf(type).anyMatch(InjectionAnnotations::marks);
    }

    /** The fields, methods and constructors of the class and of its superclasses (not {@code Object}'s). */
    public static Stream<AccessibleObject> membersOf(Class<?> type) {
        return Stream.<Class<?>>iterate(type, level -> level != null && level != Object.class, Class::getSuperclass)
                .flatMap(level -> Stream.of(level.getDeclaredFields(), level.getDeclaredMethods(),
                        level.getDeclaredConstructors()).flatMap(Stream::of));
    }

    private static boolean has(AccessibleObject member, boolean autowiredCounts) {
        for (Annotation annotation : member.getAnnotations()) {
            String name = annotation.annotationType().getName();
            if (OTHERS.contains(name) || (autowiredCounts && AUTOWIRED.equals(name))) {
                return true;
            }
        }
        return false;
    }
}
