import { describe, expect, it } from "vitest";
import { hostnameOf, isAllowedHost } from "./host-check.ts";

describe("isAllowedHost (DNS-rebinding defence)", () => {
  it("accepts IP literals, localhost and the bound name, with or without a port", () => {
    for (const host of [
      "127.0.0.1:9090",
      "127.0.0.1",
      "localhost:9090",
      "LOCALHOST:1",
      "localhost.:9090",
      "app.localhost:9090",
      "[::1]:9090",
      "[::1]",
      "192.168.1.20:9090",
    ]) {
      expect(isAllowedHost(host, "127.0.0.1"), host).toBe(true);
    }
    expect(isAllowedHost("mybox.lan:9090", "mybox.lan")).toBe(true);
    expect(isAllowedHost("viewer.example:80", "0.0.0.0", ["viewer.example"])).toBe(true);
  });

  it("refuses other names, malformed and missing headers", () => {
    for (const host of [
      "evil.example:9090",
      "evil.example",
      "localhost.evil.example:9090",
      "127.0.0.1.nip.io:9090",
      "[::1",
      "::1",
      "local host",
      "localhost:9090/x",
      "",
      "[zz::1]:80",
    ]) {
      expect(isAllowedHost(host, "127.0.0.1"), host).toBe(false);
    }
    expect(isAllowedHost(undefined, "127.0.0.1")).toBe(false);
    expect(isAllowedHost("mybox.lan", "0.0.0.0")).toBe(false);
  });

  it("reads the hostname of a Host header", () => {
    expect(hostnameOf("[::1]:9090")).toBe("::1");
    expect(hostnameOf("Example.COM.:80")).toBe("example.com");
    expect(hostnameOf("a b")).toBeUndefined();
  });
});
