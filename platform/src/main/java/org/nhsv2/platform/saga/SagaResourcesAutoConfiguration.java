package org.nhsv2.platform.saga;

import org.axonframework.modelling.saga.ResourceInjector;
import org.axonframework.spring.saga.SpringResourceInjector;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Every saga gets its resources through {@link SagaResources}: Axon's Spring configuration gives its saga
 * repositories the {@link ResourceInjector} bean, and declares its own ({@link SpringResourceInjector}) only where
 * there is none, so this runs before Axon's.
 */
@AutoConfiguration(beforeName = "org.axonframework.springboot.autoconfig.InfraConfiguration")
@ConditionalOnClass({ResourceInjector.class, SpringResourceInjector.class})
public class SagaResourcesAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ResourceInjector sagaResources(ConfigurableListableBeanFactory beans) {
        return new SagaResources(beans);
    }
}
