// Starts botfront's rasa-webchat in the page, talking to Rasa over Socket.IO.
// The page's language goes to Rasa as customData.language (credentials.yml: metadata_key).
(function () {
  var box = document.getElementById("webchat");
  if (!box || !window.WebChat) { return; }
  var language = box.dataset.language;
  window.WebChat.default({
    selector: "#webchat",
    initPayload: "/greet",
    customData: { language: language },
    socketUrl: box.dataset.socketUrl,
    socketPath: "/socket.io/",
    title: box.dataset.title,
    subtitle: box.dataset.subtitle,
    inputTextFieldHint: box.dataset.placeholder,
    embedded: true,
    showFullScreenButton: false,
    hideWhenNotConnected: false,
    connectOn: "mount",
    showMessageDate: false,
    params: { storage: "session" }
  }, box);
  // The widget's icon buttons and its text box carry no names: give them names in the page's
  // language, so screen readers can say what they do (axe: button-name, label).
  var names = { ".rw-send": box.dataset.send, ".rw-close-button": box.dataset.close,
                ".rw-new-message": box.dataset.placeholder };
  function label() {
    Object.keys(names).forEach(function (selector) {
      box.querySelectorAll(selector).forEach(function (element) {
        if (!element.getAttribute("aria-label")) { element.setAttribute("aria-label", names[selector]); }
      });
    });
  }
  new MutationObserver(label).observe(box, { childList: true, subtree: true });
  label();
}());
