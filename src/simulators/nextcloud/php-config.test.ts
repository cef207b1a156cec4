import { describe, expect, it } from "vitest";
import { parsePhpConfig, PhpConfigError, renderPhpConfig } from "./php-config.js";
import { phpArray, phpList } from "./php-value.js";

describe("parsePhpConfig", () => {
  it("reads a typical Nextcloud config.php with comments and nested arrays", () => {
    const config = parsePhpConfig(`<?php
// written by the installer
$CONFIG = array (
  'instanceid' => 'oc123',
  'datadirectory' => '/var/www/html/data', # the data dir
  /* several domains */
  'trusted_domains' =>
  array (
    0 => 'localhost',
    1 => "cloud.example.com",
  ),
  'version' => '30.0.4.1',
  'maintenance' => false,
  'installed' => TRUE,
  'memcache.local' => '\\\\OC\\\\Memcache\\\\APCu',
  'quote' => 'it\\'s',
  'loglevel' => 2,
  'ratio' => 0.5,
  'dbpassword' => NULL,
);
`);
    expect(config.get("instanceid")).toBe("oc123");
    expect(config.get("trusted_domains")).toEqual(phpList(["localhost", "cloud.example.com"]));
    expect(config.get("installed")).toBe(true);
    expect(config.get("maintenance")).toBe(false);
    expect(config.get("memcache.local")).toBe("\\OC\\Memcache\\APCu");
    expect(config.get("quote")).toBe("it's");
    expect(config.get("loglevel")).toBe(2);
    expect(config.get("ratio")).toBe(0.5);
    expect(config.get("dbpassword")).toBeNull();
  });

  it("accepts short array syntax, implicit keys and a closing tag", () => {
    const config = parsePhpConfig("<?php $CONFIG = ['a' => ['x', 'y'], '7' => 'seven'];\n?>\n");
    expect(config.get("a")).toEqual(phpList(["x", "y"]));
    expect(config.get(7)).toBe("seven");
  });

  it.each([
    ["an expression", "<?php $CONFIG = array('a' => 1 + 2);", /line 1: expected "," or "\)"/],
    ["a constant", "<?php\n$CONFIG = array(\n'a' => PHP_EOL,\n);", /line 3: expected a literal/],
    ["interpolation", '<?php $CONFIG = array("a" => "$x");', /variables inside double-quoted/],
    ["no $CONFIG", "<?php $OTHER = array();", /expected \$CONFIG/],
    ["trailing code", "<?php $CONFIG = array(); echo 1;", /unexpected text/],
    ["an unterminated string", "<?php $CONFIG = array('a' => 'x);", /unterminated string/],
  ])("refuses %s with the line and what to do", (_what, text, message) => {
    expect(() => parsePhpConfig(text)).toThrow(PhpConfigError);
    expect(() => parsePhpConfig(text)).toThrow(message);
    expect(() => parsePhpConfig(text)).toThrow(/write the value as a literal/);
  });
});

describe("renderPhpConfig", () => {
  it("writes var_export's layout and reads back the same values", () => {
    const config = phpArray([
      ["instanceid", "oc1"],
      ["maintenance", true],
      ["odd", "it's a \\ test"],
      ["trusted_domains", phpList(["localhost"])],
      ["none", null],
      ["ratio", 2.5],
    ]);
    const text = renderPhpConfig(config);
    expect(text).toBe(
      "<?php\n$CONFIG = array (\n  'instanceid' => 'oc1',\n  'maintenance' => true,\n" +
        "  'odd' => 'it\\'s a \\\\ test',\n  'trusted_domains' => \n  array (\n    0 => 'localhost',\n  ),\n" +
        "  'none' => NULL,\n  'ratio' => 2.5,\n);\n",
    );
    expect(parsePhpConfig(text)).toEqual(config);
  });
});
