import { describe, expect, it } from "vitest";
import { ConfigFileError } from "../config/config-file.js";
import { ServiceBusyError } from "../service/service-contract.js";
import { BadRequestError, errorReply, validationMessage } from "./error-reply.js";

const options = { bodyLimit: 1024 };
const internal = {
  status: 500,
  body: {
    error: "internal",
    message: "something went wrong inside photoferry; the details are in its log",
  },
};

describe("errorReply", () => {
  it("maps the domain errors", () => {
    expect(
      errorReply(new ServiceBusyError("the service is stopping; try again later"), options),
    ).toEqual({
      status: 409,
      body: { error: "busy", message: "the service is stopping; try again later" },
    });
    expect(errorReply(new BadRequestError("`from` is after `to`"), options).status).toBe(400);
    const unreadable = errorReply(
      new ConfigFileError("config file /c.yaml cannot be read", "fix the mode"),
      options,
    );
    expect(unreadable).toEqual({
      status: 503,
      body: {
        error: "config-unreadable",
        message: "config file /c.yaml cannot be read; fix the mode",
      },
    });
  });

  it("says nothing of the inside for anything else, server-side framework errors included", () => {
    expect(errorReply(new Error("ENOENT /var/lib/secret"), options)).toEqual(internal);
    expect(errorReply("a thrown string", options)).toEqual(internal);
    const serverSide = Object.assign(new Error("serializer blew up at /x"), { statusCode: 500 });
    expect(errorReply(serverSide, options)).toEqual(internal);
  });

  it("passes other client errors on with their own status", () => {
    const tooLarge = Object.assign(new Error("x"), {
      statusCode: 413,
      code: "FST_ERR_CTP_BODY_TOO_LARGE",
    });
    expect(errorReply(tooLarge, options)).toEqual({
      status: 413,
      body: { error: "too-large", message: "the request body is larger than 1024 bytes" },
    });
  });
});

describe("validationMessage", () => {
  it("names the field and where it is", () => {
    const problem = {
      keyword: "type",
      instancePath: "/edits/2/path/0",
      params: { type: "string" },
    };
    expect(validationMessage(problem, "body")).toBe("`edits[2].path[0]` in the body must be text");
    expect(validationMessage({ ...problem, instancePath: "" }, "body")).toBe(
      "the body must be text",
    );
    const other = {
      keyword: "multipleOf",
      instancePath: "/n",
      params: {},
      message: "must be a multiple of 2",
    };
    expect(validationMessage(other, "querystring")).toBe(
      "`n` in the query must be a multiple of 2",
    );
    const choice = { keyword: "enum", instancePath: "/s", params: { allowedValues: ["a", "b"] } };
    expect(validationMessage(choice, undefined)).toBe("`s` in the request must be one of: a, b");
  });
});
