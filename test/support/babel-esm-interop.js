'use strict';
// Babel plugin applied only to NestJS 12's ESM-only packages inside jest.
// Those packages declare `const require = createRequire(import.meta.url)`, which
// collides with the CommonJS transform, and read `import.meta`, which CommonJS
// has no equivalent for. Rename the local `require` and map `import.meta.*` to
// the CommonJS globals so jest's own module loader can run them.
module.exports = function esmInterop({ types: t }) {
  const metaMember = (name) => {
    switch (name) {
      case 'url':
        return t.memberExpression(
          t.callExpression(
            t.memberExpression(
              t.callExpression(t.identifier('require'), [t.stringLiteral('node:url')]),
              t.identifier('pathToFileURL'),
            ),
            [t.identifier('__filename')],
          ),
          t.identifier('href'),
        );
      case 'dirname':
        return t.identifier('__dirname');
      case 'filename':
        return t.identifier('__filename');
      case 'resolve':
        return t.memberExpression(t.identifier('require'), t.identifier('resolve'));
      default:
        return t.identifier('undefined');
    }
  };
  return {
    name: 'esm-interop',
    visitor: {
      Program(path) {
        if (path.scope.hasOwnBinding('require')) path.scope.rename('require', '_esmLocalRequire');
      },
      MetaProperty(path) {
        if (path.node.meta.name !== 'import' || path.node.property.name !== 'meta') return;
        const parent = path.parentPath;
        if (parent.isMemberExpression() && !parent.node.computed) {
          parent.replaceWith(metaMember(parent.node.property.name));
          return;
        }
        path.replaceWith(
          t.objectExpression(
            ['url', 'dirname', 'filename', 'resolve'].map((key) =>
              t.objectProperty(t.identifier(key), metaMember(key)),
            ),
          ),
        );
      },
    },
  };
};
