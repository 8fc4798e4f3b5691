/** The HTML report's script (client.js: plain JS, checked by its own tsconfig with the DOM's types). */
export declare function client(): void
