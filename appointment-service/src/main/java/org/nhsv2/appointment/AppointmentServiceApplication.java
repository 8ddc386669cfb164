package org.nhsv2.appointment;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class AppointmentServiceApplication {

    public static void main(String[] args) {
        // These machines have no route to AxonIQ's update service; asking would only log failures.
        System.setProperty("axoniq.update-checker.disabled",
                System.getProperty("axoniq.update-checker.disabled", "true"));
        SpringApplication.run(AppointmentServiceApplication.class, args);
    }
}
