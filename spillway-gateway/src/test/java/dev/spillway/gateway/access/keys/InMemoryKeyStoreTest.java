package dev.spillway.gateway.access.keys;

class InMemoryKeyStoreTest extends KeyStoreContract {
    @Override
    protected KeyStore open() {
        return new InMemoryKeyStore();
    }
}
