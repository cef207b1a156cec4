import { render } from "preact";
import { App } from "./app.js";
import "./styles/base.css";
import "./styles/themes.css";
import "./theme.js";

const root = document.getElementById("app");
if (root) render(<App />, root);
