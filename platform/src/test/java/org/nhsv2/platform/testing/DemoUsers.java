package org.nhsv2.platform.testing;

import java.util.UUID;

/** The users and facilities of infra/keycloak/nhsv2-realm.json (and the appointment service's facility seed). */
public final class DemoUsers {

    public static final UUID RIVERSIDE = UUID.fromString("11111111-1111-4111-8111-111111111111");
    public static final UUID NORTHGATE = UUID.fromString("22222222-2222-4222-8222-222222222222");

    public static final String ALICE = "alice.doctor";
    public static final UUID ALICE_ID = UUID.fromString("d0000000-0000-4000-8000-000000000001");
    public static final String BOB = "bob.doctor";
    public static final UUID BOB_ID = UUID.fromString("d0000000-0000-4000-8000-000000000002");
    public static final String CAROL = "carol.doctor";
    public static final UUID CAROL_ID = UUID.fromString("d0000000-0000-4000-8000-000000000003");
    public static final String PAT_ONE = "pat.one";
    public static final UUID PAT_ONE_ID = UUID.fromString("e0000000-0000-4000-8000-000000000001");
    public static final String PAT_TWO = "pat.two";
    public static final UUID PAT_TWO_ID = UUID.fromString("e0000000-0000-4000-8000-000000000002");
    public static final String ADMIN = "admin.ops";
    public static final UUID ADMIN_ID = UUID.fromString("a0000000-0000-4000-8000-000000000001");

    private DemoUsers() {
    }
}
