import { describe, expect, it } from "vitest";
import { isNextcloudSystemEntry } from "./system-entries.js";

describe("isNextcloudSystemEntry", () => {
  it.each([
    "appdata_oc5v1x2k9a3b",
    "appdata_",
    "__groupfolders",
    "files_external",
    "files_encryption",
    "updater-oc5v1x2k9a3b",
    "lost+found",
    "index.html",
    ".ocdata",
    ".ncdata",
    ".htaccess",
    ".",
    "..",
    ".hidden user",
    "nextcloud.log",
    "owncloud.log",
    "updater.log",
    "audit.log",
    "flow.log",
    "custom-name.log",
    "nextcloud.log.1",
    "nextcloud.log.12",
    "nextcloud.log.2.gz",
  ])("%s is Nextcloud's own", (name) => {
    expect(isNextcloudSystemEntry(name)).toBe(true);
  });

  it.each([
    "admin",
    "anna maria",
    "bob@example.com",
    "o'brien",
    "jürgen",
    "jürgen".normalize("NFD"),
    "a.b-c_d",
    "appdata",
    "updater",
    "files",
    "groupfolders",
    "log",
    "blog",
    "catalog.user",
    "index.html.bak",
    "lost+found2",
    "550e8400-e29b-41d4-a716-446655440000",
  ])("%s may be a user", (name) => {
    expect(isNextcloudSystemEntry(name)).toBe(false);
  });
});
