// The shared styles come first, so each page's own CSS (imported by its module) can
// override them without extra specificity.
import "./styles/base.css";
import "./styles/themes.css";
import { render } from "preact";
import { App } from "./app.js";
import "./theme.js";

const root = document.getElementById("app");
if (root) render(<App />, root);
