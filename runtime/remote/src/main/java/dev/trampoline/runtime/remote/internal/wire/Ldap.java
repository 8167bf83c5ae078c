package dev.trampoline.runtime.remote.internal.wire;

/** LDAP filter value escaping (RFC 1960 as OSGi uses it). */
public final class Ldap {

    private Ldap() {
    }

    public static String escape(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (char ch : value.toCharArray()) {
            if (ch == '(' || ch == ')' || ch == '*' || ch == '\\') {
                sb.append('\\');
            }
            sb.append(ch);
        }
        return sb.toString();
    }
}
