import { hasOption, optionValue, type OptionDef } from "./console-input.js";
import {
  outputFormat,
  outputOption,
  valueToString,
  writeArrayInOutputFormat,
  type SimCommand,
} from "./command.js";
import { setConfigValue } from "./instance.js";
import { phpArray, phpArrayKey, phpJsonEncode, type PhpValue } from "./php-value.js";
import { displayName, listUsers } from "./users.js";

/** Nextcloud core commands the simulator provides (core/Command/…). */

/** "30.0.4.1" → "30.0.4" (OC_Util::getVersionString) */
export const versionString = (version: string): string => version.split(".").slice(0, 3).join(".");

/** `status -e` appeared with NC 27 (PR nextcloud/server#37395; inference from the PR date). */
export function statusCommand(ncMajor: number): SimCommand {
  const exitCode: OptionDef = {
    name: "exit-code",
    shortcut: "e",
    value: "none",
    description:
      "exit with 0 if running in normal mode, 1 when in maintenance mode, 2 when `./occ upgrade` is needed. Does not write any output to STDOUT.",
  };
  return {
    definition: {
      name: "status",
      description: "show some status information",
      arguments: [],
      options: ncMajor >= 27 ? [outputOption, exitCode] : [outputOption],
    },
    fromApp: false,
    run(ctx) {
      const { instance, input } = ctx;
      const needsUpgrade = instance.settings.needsDbUpgrade;
      const values = phpArray([
        ["installed", instance.installed],
        ["version", instance.version],
        ["versionstring", versionString(instance.version)],
        ["edition", ""],
        ["maintenance", instance.maintenance],
        ["needsDbUpgrade", needsUpgrade],
        ["productname", "Nextcloud"],
        ["extendedSupport", false],
      ]);
      const wantsExitCode = hasOption(input, "exit-code");
      if (hasOption(input, "verbose") || !wantsExitCode) writeArrayInOutputFormat(ctx, values);
      if (wantsExitCode && instance.maintenance) return 1;
      if (wantsExitCode && needsUpgrade) return 2;
      return 0;
    },
  };
}

export const maintenanceModeCommand: SimCommand = {
  definition: {
    name: "maintenance:mode",
    description: "Show or toggle maintenance mode status",
    arguments: [],
    options: [
      { name: "on", value: "none", description: "enable maintenance mode" },
      { name: "off", value: "none", description: "disable maintenance mode" },
    ],
  },
  fromApp: false,
  run(ctx) {
    const { instance, input, output } = ctx;
    const enabled = instance.maintenance;
    if (hasOption(input, "on")) {
      if (enabled) output.writeln("Maintenance mode already enabled");
      else {
        setConfigValue(instance.root, "maintenance", true);
        output.writeln("Maintenance mode enabled");
      }
    } else if (hasOption(input, "off")) {
      if (!enabled) output.writeln("Maintenance mode already disabled");
      else {
        setConfigValue(instance.root, "maintenance", false);
        output.writeln("Maintenance mode disabled");
      }
    } else {
      output.writeln(`Maintenance mode is currently ${enabled ? "enabled" : "disabled"}`);
    }
    return 0;
  },
};

export const userListCommand: SimCommand = {
  definition: {
    name: "user:list",
    description: "list configured users",
    arguments: [],
    options: [
      {
        name: "limit",
        shortcut: "l",
        value: "optional",
        description: "Number of users to retrieve",
        default: "500",
      },
      {
        name: "offset",
        shortcut: "o",
        value: "optional",
        description: "Offset for retrieving users",
        default: "0",
      },
      outputOption,
    ],
  },
  fromApp: false,
  run(ctx) {
    const limit = Number.parseInt(optionValue(ctx.input, "limit") ?? "500", 10) || 0;
    const offset = Number.parseInt(optionValue(ctx.input, "offset") ?? "0", 10) || 0;
    const users = listUsers(ctx.instance, ctx.disk).slice(offset, offset + limit);
    writeArrayInOutputFormat(
      ctx,
      phpArray(users.map((uid) => [uid, displayName(ctx.instance, uid)])),
    );
    return 0;
  },
};

export const configSystemGetCommand: SimCommand = {
  definition: {
    name: "config:system:get",
    description: "Get a system config value",
    arguments: [
      {
        name: "name",
        description: "Name of the config to get, specify multiple for array parameter",
        array: true,
        required: true,
      },
    ],
    options: [
      outputOption,
      {
        name: "default-value",
        value: "optional",
        description:
          "If no default value is set and the config does not exist, the command will exit with 1",
      },
    ],
  },
  fromApp: false,
  run(ctx) {
    const names = ctx.input.arguments.get("name") ?? [];
    let value: PhpValue | undefined = ctx.instance.config;
    for (const name of names) {
      value = value instanceof Map ? value.get(phpArrayKey(name)) : undefined;
    }
    if (value === undefined || value === null) {
      const fallback = optionValue(ctx.input, "default-value");
      if (fallback === undefined) return 1;
      value = fallback;
    }
    if (value instanceof Map) {
      writeArrayInOutputFormat(ctx, value, "");
      return 0;
    }
    const format = outputFormat(ctx.input);
    ctx.output.writeln(
      format === "plain" ? valueToString(value) : phpJsonEncode(value, format === "json_pretty"),
    );
    return 0;
  },
};
