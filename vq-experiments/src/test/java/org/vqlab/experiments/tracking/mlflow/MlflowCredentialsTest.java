package org.vqlab.experiments.tracking.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mlflow.tracking.creds.MlflowHostCreds;

class MlflowCredentialsTest {

  @Test
  void basicAuthFromUsernameAndPassword() {
    MlflowCredentials c = MlflowCredentials.from(Map.of(MlflowCredentials.USERNAME, "alice",
        MlflowCredentials.PASSWORD, "s3cret", MlflowCredentials.TOKEN, "tok"));
    // base64("alice:s3cret"); username/password win over a token, as in MLflow's clients.
    assertEquals(Optional.of("Basic YWxpY2U6czNjcmV0"), c.authorization());
    assertEquals(List.of("s3cret", "tok", "YWxpY2U6czNjcmV0"), c.secrets());
    MlflowHostCreds host = c.hostCredsProvider("http://h:1").getHostCreds();
    assertEquals("alice", host.getUsername());
    assertEquals("http://h:1", host.getHost());
    assertEquals("basic auth as alice", c.toString());
  }

  @Test
  void bearerFromToken() {
    MlflowCredentials c = MlflowCredentials.from(Map.of(MlflowCredentials.TOKEN, "tok-9"));
    assertEquals(Optional.of("Bearer tok-9"), c.authorization());
    assertEquals("tok-9", c.hostCredsProvider("http://h:1").getHostCreds().getToken());
    assertFalse(c.toString().contains("tok-9"));
  }

  @Test
  void nothingWhenUnsetOrOnlyAUsername() {
    assertEquals(Optional.empty(), MlflowCredentials.from(Map.of()).authorization());
    MlflowCredentials half = MlflowCredentials.from(Map.of(MlflowCredentials.USERNAME, "bob"));
    assertEquals(Optional.empty(), half.authorization());
    assertTrue(half.secrets().isEmpty());
  }
}
