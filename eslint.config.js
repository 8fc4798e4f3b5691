import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'node_modules/**', 'coverage/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: [
            '*.js',
            'bench/*.js',
            'bench/*.mjs',
            'bench/peers/*.mjs',
            'scripts/*.mjs'
          ]
        }
      }
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }]
    }
  },
  {
    files: ['src/**/*.ts'],
    rules: { 'no-console': 'error' }
  },
  {
    // Tests poke at untyped JSON on purpose.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off'
    }
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } }
  },
  {
    // The HTML report's script runs in the browser (its types: src/render/html/tsconfig.json).
    files: ['src/render/html/client.js'],
    languageOptions: {
      globals: {
        atob: 'readonly',
        Blob: 'readonly',
        console: 'readonly',
        DecompressionStream: 'readonly',
        document: 'readonly',
        Response: 'readonly'
      }
    }
  }
)
