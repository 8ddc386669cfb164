package org.nhsv2.payment.catalogue;

import org.nhsv2.payment.api.ProductView;
import org.nhsv2.payment.command.Catalogue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The {@code product} table: read by transactions for their snapshot, kept by {@link ProductCatalogue}. */
@Repository
class Products implements Catalogue {

    private static final RowMapper<ProductView> VIEW = (rs, n) -> new ProductView(rs.getObject("product_id", UUID.class),
            rs.getString("name"), rs.getLong("unit_amount"), rs.getString("currency"), rs.getBoolean("active"));

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;

    Products(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
    }

    @Override
    public Map<UUID, Product> find(Collection<UUID> productIds) {
        Map<UUID, Product> products = new HashMap<>();
        if (productIds.isEmpty()) {
            return products;
        }
        named.query("select product_id, name, unit_amount, currency, active from product where product_id in (:ids)",
                Map.of("ids", productIds), (rs, n) -> VIEW.mapRow(rs, n)).forEach(view -> products.put(view.productId(),
                new Product(view.productId(), view.name(), view.unitAmount(), view.currency(), view.active())));
        return products;
    }

    List<ProductView> all(boolean includeInactive) {
        return jdbc.query("select product_id, name, unit_amount, currency, active from product"
                + (includeInactive ? "" : " where active") + " order by currency, name", VIEW);
    }

    Optional<ProductView> find(UUID productId) {
        return jdbc.query("select product_id, name, unit_amount, currency, active from product where product_id = ?",
                VIEW, productId).stream().findFirst();
    }

    /** Takes the row's lock: concurrent changes of one product apply one after the other. */
    Optional<ProductView> lock(UUID productId) {
        return jdbc.query("select product_id, name, unit_amount, currency, active from product where product_id = ? for update",
                VIEW, productId).stream().findFirst();
    }

    boolean insert(ProductView product) {
        return jdbc.update("insert into product (product_id, name, unit_amount, currency, active) values (?, ?, ?, ?, ?)"
                        + " on conflict do nothing",
                product.productId(), product.name(), product.unitAmount(), product.currency(), product.active()) == 1;
    }

    void update(ProductView product) {
        jdbc.update("update product set name = ?, unit_amount = ?, active = ?, changed_at = now() where product_id = ?",
                product.name(), product.unitAmount(), product.active(), product.productId());
    }
}
