package org.nhsv2.platform.saga;

import org.axonframework.modelling.saga.ResourceInjector;
import org.axonframework.spring.saga.SpringResourceInjector;
import org.nhsv2.platform.spring.InjectionAnnotations;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.AutowireCapableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.DependencyDescriptor;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Axon's {@link SpringResourceInjector} (a saga's {@code @Autowired} resources, set on every instance Axon creates or
 * loads), with each saga class's resources resolved once. Axon's asks Spring to autowire the instance each time, and
 * Spring walks its post-processors and resolves every field again: 1.5 % of the appointment service's CPU in a
 * booking profile, twice per booking. Here a class whose resources are all {@code @Autowired} fields holding
 * singletons gets those singletons set directly; any other class (an injected method, {@code @Value},
 * {@code @Resource}, a field that resolves to a prototype or to nothing) is autowired by Spring as before.
 */
public final class SagaResources implements ResourceInjector {

    private final ConfigurableListableBeanFactory beans;
    private final Map<Class<?>, Injection> injectionByType = new ConcurrentHashMap<>();

    public SagaResources(ConfigurableListableBeanFactory beans) {
        this.beans = beans;
    }

    @Override
    public void injectResources(Object saga) {
        Class<?> type = saga.getClass();
        Injection injection = injectionByType.get(type);
        if (injection == null) {
            injection = injectionByType.computeIfAbsent(type, this::injectionOf);
        }
        injection.into(saga);
    }

    /** How to give one saga class its resources. */
    @FunctionalInterface
    private interface Injection {
        void into(Object saga);
    }

    /** A field and the singleton it holds. */
    private record Resource(Field field, Object bean) {
    }

    private Injection injectionOf(Class<?> type) {
        Injection bySpring = saga -> beans.autowireBeanProperties(saga, AutowireCapableBeanFactory.AUTOWIRE_NO, false);
        List<AccessibleObject> members = InjectionAnnotations.membersOf(type).toList();
        boolean otherInjection = members.stream().anyMatch(member -> member instanceof Field
                ? InjectionAnnotations.marksOtherThanAutowired(member) : InjectionAnnotations.marks(member));
        if (otherInjection) {
            return bySpring;
        }
        List<Resource> resources = new ArrayList<>();
        for (AccessibleObject member : members) {
            if (!(member instanceof Field field)) {
                continue;
            }
            Autowired autowired = field.getAnnotation(Autowired.class);
            if (autowired == null || Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            Object bean = singletonFor(field, autowired.required());
            if (bean == null) {
                return bySpring;
            }
            field.setAccessible(true);
            resources.add(new Resource(field, bean));
        }
        List<Resource> found = List.copyOf(resources);
        return saga -> found.forEach(resource -> set(resource, saga));
    }

    /** The bean Spring would set in the field, if it is one singleton; null otherwise (Spring then says why). */
    private Object singletonFor(Field field, boolean required) {
        Set<String> names = new LinkedHashSet<>();
        Object bean;
        try {
            bean = beans.resolveDependency(new DependencyDescriptor(field, required), null, names, null);
        } catch (BeansException e) {
            return null;
        }
        boolean singleton = names.size() == 1 && beans.isSingleton(names.iterator().next());
        return bean != null && singleton ? bean : null;
    }

    private static void set(Resource resource, Object saga) {
        try {
            resource.field().set(saga, resource.bean());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Cannot set " + resource.field() + " on a saga", e);
        }
    }
}
