import { describe, expect, it } from 'vitest';
import { checkCard, checkCardResponse } from './support/card-check.ts';
import {
  button, buttonRow, card, datePicker, fields, form, hr, image, input, md, multiSelectStatic, selectPerson, selectStatic, submitButton, table, text,
  type Element,
} from '../src/lark/cards.ts';

/** The problem for `path` (the part before the first ": "), or undefined. */
const problemAt = (problems: string[], path: string) => problems.find((p) => p.startsWith(`${path}: `));

function expectProblem(c: unknown, path: string, fragment: string, check = checkCard) {
  const problems = check(c);
  const p = problemAt(problems, path);
  expect(p, `no problem at ${path}; got:\n${problems.join('\n')}`).toBeDefined();
  expect(p).toContain(fragment);
}

const v2 = (...elements: unknown[]) => ({ schema: '2.0', body: { elements } });
const cb = (action: string) => [{ type: 'callback', value: { action } }];
const plain = (content: string) => ({ tag: 'plain_text', content });

// Sample JSON copied from Feishu's card JSON 2.0 docs (open.feishu.cn/document/feishu-cards/…).
// Where a sample carries 1.0 leftovers (button `value`/`url`, form `fallback`) or a button without
// behaviors, the note says what was changed.
const DOC_SAMPLES: Record<string, unknown> = {
  // content-components/rich-text: Demo 示例 (first four elements)
  'rich-text': {
    schema: '2.0',
    body: {
      elements: [
        { tag: 'markdown', content: '# 一级标题', margin: '0px 0px 0px 0px', text_align: 'left', text_size: 'normal' },
        {
          tag: 'markdown',
          content:
            "标准emoji 😁😢🌞💼🏆❌✅\n飞书emoji :OK::THUMBSUP:\n*斜体* **粗体** ~~删除线~~ \n<font color='red'>这是红色文本</font>\n<text_tag color=\"blue\">标签</text_tag>\n<at id=all></at>",
        },
        { tag: 'markdown', content: '行内引用`code`' },
        { tag: 'markdown', content: "人员<person id = 'ou_449b53ad6aee526f7ed311b216a8f88f' show_name = true show_avatar = true style = 'normal'></person>" },
      ],
    },
  },
  // content-components/plain-text: plain_text 类型示例
  'plain-text': {
    schema: '2.0',
    body: {
      elements: [
        {
          tag: 'div',
          text: { tag: 'plain_text', content: '这是示例文本。', text_size: 'normal', text_align: 'center', text_color: 'default' },
          icon: { tag: 'standard_icon', token: 'reply-cn_filled', color: 'blue' },
          margin: '0px 0px 0px 0px',
          element_id: 'plaintext01',
        },
      ],
    },
  },
  // content-components/title: Demo 示例
  title: {
    schema: '2.0',
    body: { elements: [{ tag: 'div', text: { tag: 'plain_text', content: '示例文本' } }] },
    header: {
      title: { tag: 'lark_md', content: ':Partying:卡片主标题 ' },
      subtitle: { tag: 'plain_text', content: '卡片副标题' },
      text_tag_list: [
        { tag: 'text_tag', text: { tag: 'plain_text', content: '标签 1' }, color: 'blue' },
        { tag: 'text_tag', text: { tag: 'plain_text', content: '标签 2' }, color: 'turquoise' },
        { tag: 'text_tag', text: { tag: 'plain_text', content: '标签 3' }, color: 'orange' },
      ],
      template: 'blue',
      icon: { tag: 'standard_icon', token: 'larkcommunity_colorful' },
      padding: '12px',
    },
  },
  // content-components/divider: 示例代码 (its button has no behaviors: one added)
  divider: {
    schema: '2.0',
    body: {
      direction: 'vertical',
      padding: '12px 12px 12px 12px',
      elements: [
        {
          tag: 'div',
          text: { tag: 'plain_text', content: '普通文本示例', text_size: 'normal', text_align: 'left', text_color: 'default' },
          margin: '0px 0px 0px 0px',
        },
        { tag: 'hr', margin: '0px 0px 0px 0px' },
        {
          tag: 'button',
          text: { tag: 'plain_text', content: '查看更多' },
          type: 'primary',
          width: 'default',
          size: 'medium',
          margin: '0px 0px 0px 0px',
          behaviors: [{ type: 'open_url', default_url: 'https://open.feishu.cn/document' }],
        },
      ],
    },
  },
  // content-components/image: Demo 示例
  image: {
    schema: '2.0',
    body: {
      direction: 'vertical',
      padding: '12px 12px 12px 12px',
      elements: [
        {
          tag: 'img',
          img_key: 'img_v2_9dd98485-2900-4d65-ada9-e31d1408dcfg',
          preview: true,
          transparent: false,
          scale_type: 'crop_center',
          size: 'stretch',
          alt: { tag: 'plain_text', content: '示例图片' },
          corner_radius: '5%',
          margin: '0px 0px 0px 0px',
          element_id: 'demoimg01',
        },
      ],
    },
  },
  // content-components/table: JSON 结构 (first two rows)
  table: {
    schema: '2.0',
    body: {
      elements: [
        {
          tag: 'table',
          element_id: 'custom_id',
          margin: '0px 0px 0px 0px',
          page_size: 5,
          row_height: 'low',
          row_max_height: '50px',
          freeze_first_column: true,
          header_style: { text_align: 'left', text_size: 'normal', background_style: 'none', text_color: 'grey', bold: true, lines: 1 },
          columns: [
            { name: 'customer_name', display_name: '客户名称', width: 'auto', data_type: 'text', vertical_align: 'top', horizontal_align: 'left' },
            { name: 'customer_link', display_name: '相关链接', data_type: 'lark_md' },
            { name: 'customer_arr', display_name: 'ARR(万元)', data_type: 'number', format: { symbol: '¥', precision: 2, separator: true }, width: '120px' },
            { name: 'customer_scale', display_name: '客户规模', data_type: 'options' },
            { name: 'customer_poc', display_name: '客户对接人', data_type: 'persons' },
            { name: 'meeting_date', display_name: '对接时间', data_type: 'date', date_format: 'YYYY/MM/DD' },
            { name: 'company_image', display_name: '企业图片', data_type: 'markdown' },
          ],
          rows: [
            {
              customer_name: '飞书科技',
              customer_date: 1699341315000,
              customer_scale: [{ text: 'S2', color: 'blue' }],
              customer_arr: 168,
              customer_poc: ['ou_14a32f1a02e64944cf19207aa43abcef', 'ou_e393cf9c22e6e617a4332210d2aabcef'],
              customer_link: '[飞书科技](https://open.feishu.cn)',
            },
            {
              customer_name: '飞书科技_01',
              customer_date: 1606101072000,
              customer_scale: [{ text: 'S1', color: 'red' }],
              customer_arr: 168.23,
              customer_poc: 'ou_14a32f1a02e64944cf19207aa43abcef',
              customer_link: '[飞书科技_01](https://open.feishu.cn)',
              company_image: '![image.png](image_key)',
            },
          ],
        },
      ],
    },
  },
  // interactive-components/button: 示例代码, first column_set (the sample's 1.0 `value` field removed)
  button: {
    schema: '2.0',
    header: { template: 'blue', title: { content: 'Buttons', tag: 'plain_text' } },
    body: {
      elements: [
        {
          tag: 'column_set',
          flex_mode: 'flow',
          background_style: 'default',
          columns: [
            {
              tag: 'column',
              width: 'auto',
              weight: 1,
              vertical_align: 'top',
              elements: [
                {
                  tag: 'button',
                  text: { tag: 'plain_text', content: '镭射按钮' },
                  behaviors: [
                    {
                      type: 'open_url',
                      default_url: 'https://open.feishu.cn/document',
                      android_url: 'https://developer.android.com/',
                      ios_url: 'lark://msgcard/unsupported_action',
                      pc_url: 'https://www.windows.com',
                    },
                  ],
                  type: 'laser',
                  hover_tips: { tag: 'plain_text', content: 'hover提示' },
                },
              ],
            },
            {
              tag: 'column',
              width: 'auto',
              weight: 1,
              vertical_align: 'top',
              elements: [
                {
                  tag: 'button',
                  type: 'laser',
                  text: { tag: 'plain_text', content: '镭射禁用按钮' },
                  disabled: true,
                  disabled_tips: { tag: 'plain_text', content: '禁用 hover 提示' },
                  behaviors: [
                    {
                      type: 'open_url',
                      default_url: 'https://open.feishu.cn/document',
                      android_url: 'https://developer.android.com/',
                      ios_url: 'lark://msgcard/unsupported_action',
                      pc_url: 'https://www.windows.com',
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
  },
  // containers/form-container: JSON 结构
  form: {
    schema: '2.0',
    body: {
      elements: [
        {
          tag: 'form',
          element_id: 'custom_id',
          direction: 'horizontal',
          horizontal_spacing: '8px',
          vertical_spacing: '8px',
          horizontal_align: 'left',
          vertical_align: 'top',
          padding: '4px 0px 4px 0px',
          margin: '0px 0px 0px 0px',
          name: 'form_1',
          elements: [
            { tag: 'input', name: 'reason', required: true },
            {
              tag: 'column_set',
              columns: [
                {
                  tag: 'column',
                  width: 'auto',
                  elements: [
                    {
                      tag: 'button',
                      type: 'primary',
                      text: { tag: 'plain_text', content: '提交' },
                      behaviors: [
                        { type: 'open_url', default_url: 'https://www.baidu.com', android_url: 'https://developer.android.com/', ios_url: 'lark://msgcard/unsupported_action', pc_url: 'https://www.windows.com' },
                        { type: 'callback', value: { key: 'value' } },
                      ],
                      form_action_type: 'submit',
                      name: 'Button_m8pn9lbf',
                    },
                  ],
                },
                {
                  tag: 'column',
                  width: 'auto',
                  elements: [
                    {
                      tag: 'button',
                      type: 'default',
                      text: { tag: 'plain_text', content: '取消' },
                      form_action_type: 'reset',
                      name: 'Button_m8pn9lbg',
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
  },
  // interactive-components/single-select-dropdown-menu: 示例代码
  'select-static': {
    schema: '2.0',
    body: {
      direction: 'vertical',
      padding: '12px 12px 12px 12px',
      elements: [
        {
          tag: 'select_static',
          initial_option: '',
          placeholder: { tag: 'plain_text', content: '请选择' },
          options: [
            { text: { tag: 'plain_text', content: '选项1' }, value: '1', icon: { tag: 'standard_icon', token: 'signature_outlined' } },
            { text: { tag: 'plain_text', content: '选项2' }, value: '2', icon: { tag: 'standard_icon', token: 'signature_outlined' } },
            { text: { tag: 'plain_text', content: '选项3' }, value: '3', icon: { tag: 'standard_icon', token: 'signature_outlined' } },
          ],
          type: 'default',
          width: 'default',
          disabled: false,
          behaviors: [{ type: 'callback', value: { select_static: 'click' } }],
          margin: '0px 0px 0px 0px',
        },
      ],
    },
  },
  // interactive-components/multi-select-dropdown-menu: JSON 结构
  'multi-select-static': {
    schema: '2.0',
    body: {
      elements: [
        {
          tag: 'form',
          elements: [
            {
              tag: 'multi_select_static',
              element_id: 'custom_id',
              margin: '0px 0px 0px 0px',
              type: 'default',
              name: 'multi_select_departments',
              required: true,
              disabled: false,
              placeholder: { tag: 'plain_text', content: '默认提示文本' },
              width: 'default',
              behaviors: [{ type: 'callback', value: { key_1: 'value_1' } }],
              selected_values: [],
              options: [
                {
                  text: { tag: 'plain_text', content: '我是交互组件' },
                  icon: { tag: 'standard_icon', token: 'chat-forbidden_outlined', color: 'orange', img_key: 'img_v2_38811724' },
                  value: 'selectDemo1',
                },
              ],
              confirm: { title: { tag: 'plain_text', content: '弹窗标题' }, text: { tag: 'plain_text', content: '弹窗正文文案' } },
            },
            {
              tag: 'column_set',
              columns: [
                {
                  tag: 'column',
                  width: 'auto',
                  elements: [
                    { tag: 'button', text: { tag: 'plain_text', content: '提交' }, type: 'primary', width: 'default', form_action_type: 'submit', name: 'Button_m8gyoz81' },
                  ],
                  vertical_align: 'top',
                },
                {
                  tag: 'column',
                  width: 'auto',
                  elements: [
                    { tag: 'button', text: { tag: 'plain_text', content: '取消' }, type: 'default', width: 'default', form_action_type: 'reset', name: 'Button_m8gyoz82' },
                  ],
                  vertical_align: 'top',
                },
              ],
            },
          ],
          padding: '4px 0px 4px 0px',
          margin: '0px 0px 0px 0px',
          name: 'Form_m8gyoz80',
        },
      ],
    },
  },
  // interactive-components/multi-select-dropdown-menu: 示例代码 (the select sits in a column of the
  // form; its buttons' 1.0 `action_type: "form_submit"/"form_reset"` changed to form_action_type)
  'multi-select-static-sample': {
    schema: '2.0',
    body: {
      elements: [
        {
          tag: 'form',
          elements: [
            {
              tag: 'column_set',
              flex_mode: 'none',
              horizontal_spacing: 'default',
              background_style: 'default',
              columns: [
                {
                  tag: 'column',
                  elements: [
                    {
                      tag: 'multi_select_static',
                      type: 'default',
                      name: 'multi_select_departments',
                      placeholder: { tag: 'plain_text', content: '默认提示文本' },
                      width: 'fill',
                      required: true,
                      disabled: false,
                      selected_values: [],
                      behaviors: [{ type: 'callback', value: { select_static: 'click' } }],
                      options: [
                        { text: { tag: 'plain_text', content: '选项1' }, icon: { tag: 'standard_icon', token: 'chat-forbidden_outlined', color: 'orange' }, value: 'selectDemo1' },
                        { text: { tag: 'plain_text', content: '选项2' }, icon: { tag: 'standard_icon', token: 'chat-forbidden_outlined', color: 'orange' }, value: 'selectDemo2' },
                      ],
                    },
                  ],
                  width: 'weighted',
                  weight: 1,
                },
              ],
            },
            {
              tag: 'column_set',
              flex_mode: 'none',
              background_style: 'default',
              horizontal_spacing: 'default',
              columns: [
                {
                  tag: 'column',
                  width: 'auto',
                  vertical_align: 'top',
                  elements: [{ tag: 'button', text: { tag: 'plain_text', content: '提交' }, type: 'primary', form_action_type: 'submit', name: 'Button_lrztw8x3' }],
                },
                {
                  tag: 'column',
                  width: 'auto',
                  vertical_align: 'top',
                  elements: [{ tag: 'button', text: { tag: 'plain_text', content: '取消' }, type: 'default', form_action_type: 'reset', name: 'Button_lrztw8x4' }],
                },
              ],
            },
          ],
          name: 'Form_lrztw8x2',
        },
      ],
    },
  },
  // interactive-components/date-picker: 示例代码
  'date-picker': {
    schema: '2.0',
    body: {
      elements: [
        { tag: 'date_picker', placeholder: { tag: 'plain_text', content: '请选择' }, width: 'default', initial_date: '2024-01-01' },
        { tag: 'date_picker', placeholder: { tag: 'plain_text', content: '请选择' }, width: 'default' },
      ],
    },
  },
  // interactive-components/single-select-user-picker: 示例代码
  'select-person': {
    schema: '2.0',
    body: {
      direction: 'vertical',
      padding: '12px 12px 12px 12px',
      elements: [
        {
          tag: 'select_person',
          placeholder: { tag: 'plain_text', content: '请选择' },
          options: [{ value: 'ou_449b53ad6aee526f7ed311b216aabcef' }, { value: 'ou_449b53ad6aee526f7ed311b216aabcef' }],
          width: 'default',
          type: 'default',
          disabled: false,
          behaviors: [{ type: 'callback', value: { select_static: 'click' } }],
          margin: '0px 0px 0px 0px',
        },
      ],
    },
  },
  // interactive-components/overflow: JSON 结构
  overflow: {
    schema: '2.0',
    body: {
      elements: [
        {
          tag: 'overflow',
          element_id: 'custom_id',
          margin: '0px 0px 0px 0px',
          width: 'fill',
          options: [
            {
              text: { tag: 'plain_text', content: '这是一个链接跳转' },
              multi_url: { url: 'https://open.feishu.cn/document/home/index', pc_url: '', ios_url: '', android_url: '' },
              value: 'document',
            },
          ],
          behaviors: [{ type: 'callback', value: { key_1: 'value_1' } }],
          confirm: { title: { tag: 'plain_text', content: 'title' }, text: { tag: 'plain_text', content: 'content' } },
        },
      ],
    },
  },
  // configure-multi-language-content: 局部多语言 (header title with only i18n_content), moved into a 2.0 body
  i18n: {
    schema: '2.0',
    header: { template: 'orange', title: { tag: 'plain_text', i18n_content: { en_us: 'Check-in reminder', zh_cn: '会议室签到提醒' } } },
    body: {
      elements: [
        { tag: 'markdown', content: '**会议室**\n北京-xxx-F1', i18n_content: { zh_cn: '**会议室**\n北京-xxx-F1', en_us: '**Room**\nBeijing-xxx-F1' } },
      ],
    },
  },
};

describe('checkCard: the docs’ own samples pass', () => {
  for (const [name, sample] of Object.entries(DOC_SAMPLES)) {
    it(name, () => expect(checkCard(sample)).toEqual([]));
  }

  it('an empty 2.0 card is valid (the structure doc allows "{}"-like cards)', () => {
    expect(checkCard({ schema: '2.0' })).toEqual([]);
  });
});

describe('checkCard: invalid cards fail at the right path', () => {
  it('missing schema', () => {
    expectProblem({ body: { elements: [] } }, 'schema', 'must be "2.0"');
  });

  it('a 1.0 card: top-level elements and i18n_elements', () => {
    expectProblem({ schema: '2.0', elements: [] }, '(card)', 'body.elements');
    expectProblem({ schema: '2.0', i18n_elements: {} }, '(card)', 'i18n_content');
  });

  it('a 1.0 action block', () => {
    const c = v2({ tag: 'action', actions: [{ tag: 'button', text: plain('OK'), behaviors: cb('x') }] });
    expectProblem(c, 'body.elements[0]', 'tag "action" blocks were removed');
  });

  it('a note component', () => {
    expectProblem(v2({ tag: 'note', elements: [] }), 'body.elements[0]', 'note component was removed');
  });

  it('a button without behaviors, nested in a column', () => {
    const c = v2(
      md('hi'),
      hr(),
      { tag: 'column_set', columns: [{ tag: 'column', elements: [md('x'), { tag: 'button', text: plain('OK') }] }] },
    );
    expectProblem(c, 'body.elements[2].columns[0].elements[1]', 'button needs behaviors');
  });

  it('1.0 button fields', () => {
    expectProblem(v2({ tag: 'button', text: plain('OK'), behaviors: cb('x'), value: { a: 1 } }), 'body.elements[0]', 'use behaviors');
  });

  it('a form without a submit button', () => {
    const c = v2({ tag: 'form', name: 'f', elements: [{ tag: 'input', name: 'a' }] });
    expectProblem(c, 'body.elements[0]', 'form needs a button with form_action_type "submit"');
  });

  it('a form field or form button without a name', () => {
    const c = v2({ tag: 'form', name: 'f', elements: [{ tag: 'input' }, { tag: 'button', text: plain('Go'), form_action_type: 'submit' }] });
    expectProblem(c, 'body.elements[0].elements[0]', 'input in a form needs a name');
    expectProblem(c, 'body.elements[0].elements[1]', 'a button in a form needs a name');
  });

  it('duplicate names across forms', () => {
    const c = v2(form('f1', [input('note', { zh: '备注', en: 'Note' }), submitButton('ok1', { zh: '提交', en: 'Submit' }, { action: 'a' })]), form('f2', [input('note', { zh: '备注', en: 'Note' }), submitButton('ok2', { zh: '提交', en: 'Submit' }, { action: 'b' })]));
    expectProblem(c, 'body.elements[1].elements[0]', 'duplicate name "note" (also at body.elements[0].elements[0])');
  });

  it('form_action_type outside a form', () => {
    expectProblem(v2({ tag: 'button', text: plain('Go'), form_action_type: 'submit', behaviors: cb('x') }), 'body.elements[0].form_action_type', 'inside a form');
  });

  it('a form or table nested in a container', () => {
    const nested = v2({ tag: 'column_set', columns: [{ tag: 'column', elements: [table([{ name: 'a', label: { zh: '甲', en: 'A' } }], [])] }] });
    expectProblem(nested, 'body.elements[0].columns[0].elements[0]', 'table may only sit directly in body.elements');
    const formInForm = v2(form('outer', [form('inner', [submitButton('s1', { zh: '提交', en: 'Submit' }, { action: 'a' })]), submitButton('s2', { zh: '提交', en: 'Submit' }, { action: 'a' })]));
    expectProblem(formInForm, 'body.elements[0].elements[0]', 'form may only sit directly in body.elements');
  });

  it('a column without tag "column"', () => {
    expectProblem(v2({ tag: 'column_set', columns: [{ elements: [] }] }), 'body.elements[0].columns[0].tag', 'needs tag "column"');
  });

  it('a bad header template colour and a missing title', () => {
    expectProblem({ schema: '2.0', header: { title: plain('T'), template: 'pink' } }, 'header.template', '"pink" is not one of blue|');
    expectProblem({ schema: '2.0', header: { template: 'red' } }, 'header', 'header needs a title');
    expectProblem({ schema: '2.0', header: { title: { tag: 'markdown', content: 'T' } } }, 'header.title.tag', 'not one of plain_text|lark_md');
  });

  it('an unknown tag, and a documented component the checker does not cover yet', () => {
    expectProblem(v2({ tag: 'fancy_widget' }), 'body.elements[0]', 'unknown tag "fancy_widget"');
    expectProblem(v2({ tag: 'collapsible_panel', elements: [] }), 'body.elements[0]', 'does not cover yet');
  });

  it('an unknown attribute', () => {
    expectProblem(v2({ tag: 'markdown', content: 'x', colour: 'red' }), 'body.elements[0]', 'markdown has no attribute "colour"');
  });

  it('button text and placeholders over 100 characters', () => {
    const long = '字'.repeat(101);
    expectProblem(v2(button({ zh: long, en: 'x' }, { action: 'a' })), 'body.elements[0].text.content', '101 characters; at most 100');
    expectProblem(v2(button({ zh: 'ok', en: long }, { action: 'a' })), 'body.elements[0].text.i18n_content.en_us', 'at most 100');
    const f = v2(form('f', [input('a', { zh: long, en: 'x' }), submitButton('s', { zh: '提交', en: 'Submit' }, { action: 'a' })]));
    expectProblem(f, 'body.elements[0].elements[0].placeholder.content', 'at most 100');
    expect(checkCard(v2(button({ zh: '字'.repeat(100), en: 'x' }, { action: 'a' })))).toEqual([]);
  });

  it('an i18n map without en_us, or with an unknown locale', () => {
    expectProblem(v2({ tag: 'markdown', content: 'x', i18n_content: { zh_cn: 'x' } }), 'body.elements[0].i18n_content', 'needs en_us');
    expectProblem(v2({ tag: 'markdown', content: 'x', i18n_content: { zh_cn: 'x', en_us: 'x', en: 'x' } }), 'body.elements[0].i18n_content.en', 'unknown locale');
  });

  it('a text with neither content nor i18n_content', () => {
    expectProblem(v2({ tag: 'button', text: { tag: 'plain_text' }, behaviors: cb('a') }), 'body.elements[0].text', 'needs content or i18n_content');
  });

  it('table limits: page_size, data_type, number cells, more than 5 tables', () => {
    const t = (o: Record<string, unknown>) => ({ tag: 'table', columns: [{ name: 'n', data_type: 'number' }], rows: [{ n: 1 }], ...o });
    expectProblem(v2(t({ page_size: 11 })), 'body.elements[0].page_size', 'in [1, 10]');
    expectProblem(v2(t({ columns: [{ name: 'n', data_type: 'string' }] })), 'body.elements[0].columns[0].data_type', 'not one of text|');
    expectProblem(v2(t({ columns: [{ display_name: 'N', data_type: 'text' }] })), 'body.elements[0].columns[0].name', 'is required');
    expectProblem(v2(t({ rows: [{ n: '1' }] })), 'body.elements[0].rows[0].n', 'must be a number');
    expectProblem(v2(t({ rows: ['x'] })), 'body.elements[0].rows[0]', 'must be an object');
    expectProblem(v2(...Array.from({ length: 6 }, () => t({}))), '(card)', '6 tables');
  });

  it('select_static options, date_picker initial_date, select_person options', () => {
    expectProblem(v2({ tag: 'select_static', options: [] }), 'body.elements[0].options', 'non-empty options');
    expectProblem(v2({ tag: 'select_static', options: [{ value: 'a' }] }), 'body.elements[0].options[0]', 'option needs text');
    expectProblem(v2({ tag: 'select_static', options: [{ text: plain('A'), value: 'a' }, { text: plain('B'), value: 'a' }] }), 'body.elements[0].options[1].value', 'duplicate option value');
    expectProblem(v2({ tag: 'date_picker', initial_date: '2026/12/01' }), 'body.elements[0].initial_date', 'yyyy-MM-dd');
    expectProblem(v2({ tag: 'date_picker', initial_date: '2026-02-30' }), 'body.elements[0].initial_date', 'yyyy-MM-dd');
    expectProblem(v2({ tag: 'select_person', options: [{ value: 'u_123' }] }), 'body.elements[0].options[0].value', 'not an open_id');
    expectProblem(v2({ tag: 'select_person', options: [{ value: 'ou_1' }], initial_option: 'ou_2' }), 'body.elements[0].initial_option', 'one of the options');
  });

  it('multi_select_static: only in a form; distinct option values; selected_values among the options', () => {
    const opts = [{ text: plain('A'), value: 'a' }, { text: plain('B'), value: 'b' }];
    const inForm = (ms: Record<string, unknown>) =>
      v2({ tag: 'form', name: 'f', elements: [{ tag: 'multi_select_static', name: 'pick', options: opts, ...ms }, { tag: 'button', name: 'go', text: plain('Go'), form_action_type: 'submit' }] });
    expect(checkCard(inForm({ selected_values: ['b', 'a'], required: true, placeholder: plain('选') }))).toEqual([]);

    expectProblem(v2({ tag: 'multi_select_static', name: 'pick', options: opts }), 'body.elements[0]', 'only works inside a form');
    const inColumn = v2({ tag: 'column_set', columns: [{ tag: 'column', elements: [{ tag: 'multi_select_static', name: 'pick', options: opts }] }] });
    expectProblem(inColumn, 'body.elements[0].columns[0].elements[0]', 'only works inside a form');
    expectProblem(inForm({ name: undefined }), 'body.elements[0].elements[0]', 'multi_select_static in a form needs a name');
    expectProblem(inForm({ options: [{ text: plain('A'), value: 'a' }, { text: plain('B'), value: 'a' }] }), 'body.elements[0].elements[0].options[1].value', 'duplicate option value "a"');
    expectProblem(inForm({ options: [{ text: { tag: 'lark_md', content: '**A**' }, value: 'a' }] }), 'body.elements[0].elements[0].options[0].text.tag', 'not one of plain_text');
    expectProblem(inForm({ options: [] }), 'body.elements[0].elements[0].options', 'non-empty options');
    expectProblem(inForm({ selected_values: ['a', 'c'] }), 'body.elements[0].elements[0].selected_values[1]', '"c" is not the value of one of the options');
    expectProblem(inForm({ selected_values: 'a' }), 'body.elements[0].elements[0].selected_values', 'must be an array');
    expectProblem(inForm({ placeholder: plain('字'.repeat(101)) }), 'body.elements[0].elements[0].placeholder.content', 'at most 100');
    expectProblem(inForm({ type: 'outlined' }), 'body.elements[0].elements[0].type', 'not one of default|text');
    expectProblem(inForm({ initial_option: 'a' }), 'body.elements[0].elements[0]', 'multi_select_static has no attribute "initial_option"');
  });

  it('required: true outside a form', () => {
    expectProblem(v2({ tag: 'input', required: true }), 'body.elements[0].required', 'only works inside a form');
  });

  it('img needs img_key and alt', () => {
    expectProblem(v2({ tag: 'img', alt: plain('') }), 'body.elements[0].img_key', 'is required');
    expectProblem(v2({ tag: 'img', img_key: 'img_v3_x' }), 'body.elements[0]', 'img needs alt');
  });

  it('element_id format and uniqueness', () => {
    expectProblem(v2({ tag: 'hr', element_id: '1abc' }), 'body.elements[0].element_id', 'starts with a letter');
    expectProblem(v2({ tag: 'hr', element_id: 'a'.repeat(21) }), 'body.elements[0].element_id', 'at most 20');
    expectProblem(v2({ tag: 'hr', element_id: 'x1' }, { tag: 'hr', element_id: 'x1' }), 'body.elements[1].element_id', 'already used at body.elements[0].element_id');
  });

  it('behaviors: unknown type, callback without an object value, open_url without default_url', () => {
    expectProblem(v2({ tag: 'button', text: plain('A'), behaviors: [{ type: 'form_submit' }] }), 'body.elements[0].behaviors[0].type', 'not open_url|callback');
    expectProblem(v2({ tag: 'button', text: plain('A'), behaviors: [{ type: 'callback', value: 'x' }] }), 'body.elements[0].behaviors[0].value', 'object value');
    expectProblem(v2({ tag: 'button', text: plain('A'), behaviors: [{ type: 'open_url', url: 'https://x' }] }), 'body.elements[0].behaviors[0].default_url', 'is required');
  });

  it('more than 200 elements', () => {
    const c = v2(...Array.from({ length: 201 }, () => hr()));
    expectProblem(c, '(card)', '201 elements; a card holds at most 200');
    expect(checkCard(v2(...Array.from({ length: 200 }, () => hr())))).toEqual([]);
  });

  it('config.update_multi false, a 1.0 config key', () => {
    expectProblem({ schema: '2.0', config: { update_multi: false } }, 'config.update_multi', 'only supports update_multi: true');
    expectProblem({ schema: '2.0', config: { wide_screen_mode: true } }, 'config', 'width_mode');
  });

  it('margins and spacings', () => {
    expectProblem(v2({ tag: 'hr', margin: '100px' }), 'body.elements[0].margin', '[-99,99]px');
    expectProblem({ schema: '2.0', body: { elements: [], vertical_spacing: 'huge' } }, 'body.vertical_spacing', 'small|medium|large|extra_large');
  });
});

describe('checkCardResponse', () => {
  it('accepts {}, a toast (handle-card-callbacks sample) and a raw 2.0 card', () => {
    expect(checkCardResponse({})).toEqual([]);
    const toast = { type: 'success', content: '成功了！', i18n: { zh_cn: '成功了！', en_us: 'success！', ja_jp: '成功した!' } };
    expect(checkCardResponse({ toast })).toEqual([]);
    expect(checkCardResponse({ toast, card: { type: 'raw', data: card({ title: { zh: '完成', en: 'Done' }, elements: [md('好', 'OK')] }) } })).toEqual([]);
    expect(checkCardResponse({ card: { type: 'template', data: { template_id: 'AAq1', template_variable: { k: 'v' } } } })).toEqual([]);
  });

  it('rejects a bad toast type, a missing content, a bad card type and an invalid card', () => {
    expectProblem({ toast: { type: 'ok', content: 'x' } }, 'toast.type', 'not one of info|success|error|warning', checkCardResponse);
    expectProblem({ toast: { type: 'info' } }, 'toast.content', 'is required', checkCardResponse);
    expectProblem({ card: { type: 'json', data: {} } }, 'card.type', 'not raw|template', checkCardResponse);
    // The raw-card sample in handle-card-callbacks is a 1.0 card: not acceptable here.
    const oneDotOh = {
      config: { enable_forward: true },
      elements: [{ tag: 'div', text: { content: 'This is the plain text', tag: 'plain_text' } }],
      header: { template: 'blue', title: { content: 'This is the title', tag: 'plain_text' } },
    };
    const problems = checkCardResponse({ card: { type: 'raw', data: oneDotOh } });
    expect(problemAt(problems, 'card.data.schema')).toContain('must be "2.0"');
    expect(problemAt(problems, 'card.data')).toContain('body.elements');
    expectProblem({ card: { type: 'raw', data: v2({ tag: 'button', text: plain('x') }) } }, 'card.data.body.elements[0]', 'button needs behaviors', checkCardResponse);
  });
});

describe('src/lark/cards.ts builders produce valid cards', () => {
  const all: Element[] = [
    md('**粗体**', '**Bold**'),
    md('42'),
    hr(),
    buttonRow([button({ zh: '确认', en: 'Confirm' }, { action: 'confirm', id: 1 }, 'primary'), button({ zh: '取消', en: 'Cancel' }, { action: 'cancel' })]),
    fields([
      [{ zh: '状态', en: 'Status' }, '进行中'],
      [{ zh: '负责人', en: 'Owner' }, '李检查'],
    ]),
    table(
      [
        { name: 'name', label: { zh: '名称', en: 'Name' } },
        { name: 'count', label: { zh: '数量', en: 'Count' }, type: 'number' },
        { name: 'note', label: { zh: '备注', en: 'Note' }, type: 'lark_md' },
      ],
      [{ name: '甲', count: 3, note: '**x**' }],
      50,
    ),
    image('img_v3_fake', { zh: '现场照片', en: 'Site photo' }),
    form('report', [
      input('title', { zh: '标题', en: 'Title' }, { required: true, label: { zh: '标题', en: 'Title' }, defaultValue: '隐患', maxLength: 100 }),
      input('note', { zh: '备注', en: 'Note' }),
      selectStatic('level', { zh: '等级', en: 'Level' }, [
        { label: { zh: '一般', en: 'Minor' }, value: 'minor' },
        { label: { zh: '重大', en: 'Major' }, value: 'major' },
      ], { initial: 'minor', required: true }),
      multiSelectStatic('kinds', { zh: '类别（可多选）', en: 'Kinds (one or more)' }, [
        { label: { zh: '消防', en: 'Fire' }, value: 'fire' },
        { label: { zh: '用电', en: 'Electrical' }, value: 'power' },
        { label: { zh: '危化品', en: 'Chemicals' }, value: 'chem' },
      ], { initial: ['fire', 'chem'], required: true }),
      multiSelectStatic('tags', { zh: '标签', en: 'Tags' }, [{ label: { zh: '甲', en: 'A' }, value: 'a' }]),
      datePicker('due', { zh: '期限', en: 'Due' }, { initial: '2026-12-31', required: true }),
      selectPerson('owner', { zh: '负责人', en: 'Owner' }, { candidates: ['ou_a', 'ou_b'] }),
      selectPerson('backup', { zh: '备岗', en: 'Backup' }),
      buttonRow([submitButton('submit', { zh: '提交', en: 'Submit' }, { action: 'report.submit' })]),
    ]),
  ];

  it('a card with one of each builder', () => {
    const c = card({ title: { zh: '标题', en: 'Title' }, subtitle: { zh: '副标题', en: 'Subtitle' }, template: 'orange', summary: { zh: '摘要', en: 'Summary' }, elements: all });
    expect(checkCard(c)).toEqual([]);
    expect(checkCard(JSON.parse(JSON.stringify(c)))).toEqual([]);
  });

  it('every header colour the builder types allow', () => {
    for (const template of ['blue', 'wathet', 'turquoise', 'green', 'yellow', 'orange', 'red', 'carmine', 'violet', 'purple', 'indigo', 'grey', 'default'] as const) {
      expect(checkCard(card({ title: { zh: '标', en: 'T' }, template, elements: [] }))).toEqual([]);
    }
  });

  it('multiSelectStatic: the options, the initial choice, required; only valid inside a form', () => {
    const ms = multiSelectStatic('teams', { zh: '选择队伍', en: 'Choose teams' }, [
      { label: { zh: '一队', en: 'Team 1' }, value: '1' },
      { label: { zh: '二队', en: 'Team 2' }, value: '2' },
    ], { initial: ['2'], required: true });
    expect(ms).toMatchObject({
      tag: 'multi_select_static',
      name: 'teams',
      placeholder: text({ zh: '选择队伍', en: 'Choose teams' }),
      options: [{ text: text({ zh: '一队', en: 'Team 1' }), value: '1' }, { text: text({ zh: '二队', en: 'Team 2' }), value: '2' }],
      selected_values: ['2'],
      required: true,
    });
    expect(multiSelectStatic('t', { zh: '选', en: 'Pick' }, [{ label: { zh: '一', en: 'One' }, value: '1' }])).not.toHaveProperty('selected_values');
    expect(checkCard(v2(form('f', [ms, submitButton('go', { zh: '派出', en: 'Dispatch' }, { action: 'x' })])))).toEqual([]);
    expectProblem(v2(ms), 'body.elements[0]', 'only works inside a form');
  });

  it('text() is a bilingual plain_text', () => {
    expect(checkCard({ schema: '2.0', header: { title: text({ zh: '标题', en: 'Title' }) } })).toEqual([]);
  });
});
