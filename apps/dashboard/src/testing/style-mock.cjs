// Jest stand-in for CSS imports: the styles are not needed to test behaviour.
module.exports = {};
