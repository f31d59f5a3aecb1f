// jsdom plus the fetch classes of Node (jsdom has none), so the api client runs unmodified.
const { TestEnvironment } = require('jest-environment-jsdom');

class WebEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    if (!this.global.Response) this.global.Response = Response;
    if (!this.global.Request) this.global.Request = Request;
    if (!this.global.Headers) this.global.Headers = Headers;
  }
}

module.exports = WebEnvironment;
